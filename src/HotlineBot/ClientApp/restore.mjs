// Runs `npm ci` here, one build at a time: two builds of the project at once (a terminal and an IDE, a build
// beside a test run) would otherwise both empty and fill node_modules and leave it broken. The second one
// waits for the first, then finds node_modules up to date and does nothing.
//
//   node restore.mjs STAMP FILE...   FILEs must exist afterwards (the files the build copies out of node_modules)
//
// Run by the build (src/HotlineBot/HotlineBot.csproj, target RestoreChatClient).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const [stamp, ...required] = process.argv.slice(2);
if (!stamp) {
  console.error('usage: node restore.mjs STAMP FILE...');
  process.exit(2);
}

const lock = '.npm-ci.lock';
// npm ci takes a minute or two; a lock older than this was left by a build that was killed.
const staleAfterMs = 10 * 60 * 1000;
const waitUpToMs = 15 * 60 * 1000;

function modified(path) {
  return statSync(path).mtimeMs;
}

function upToDate() {
  return existsSync(stamp)
    && modified(stamp) >= Math.max(modified('package.json'), modified('package-lock.json'))
    && required.every((file) => existsSync(file));
}

const waitStart = Date.now();
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  let age = 0;
  try {
    age = Date.now() - modified(lock);
  } catch {
    continue; // released meanwhile
  }
  if (age > staleAfterMs) {
    rmSync(lock, { recursive: true, force: true });
    continue;
  }
  if (Date.now() - waitStart > waitUpToMs) {
    console.error(`error: another build has held ${process.cwd()}/${lock} for too long; if none is running, delete it.`);
    process.exit(1);
  }
  await sleep(500);
}

let status = 0;
try {
  if (!upToDate()) {
    rmSync(stamp, { force: true });
    // No install scripts: only prebuilt files from the packages' dist/ and umd/ folders are used.
    const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    status = npm.status ?? 1;
    const missing = required.filter((file) => !existsSync(file));
    if (status === 0 && missing.length > 0) {
      console.error(`error: npm ci did not install ${missing.join(', ')}`);
      status = 1;
    }
    if (status === 0) writeFileSync(stamp, '');
  }
} finally {
  rmSync(lock, { recursive: true, force: true });
}
process.exit(status);
