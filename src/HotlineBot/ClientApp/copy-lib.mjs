// Copies the files the chat page loads out of node_modules into one folder; beside each script it writes
// a brotli (.br) and a gzip (.gz) copy, which the service sends to browsers that accept them: webchat.js is
// 3.9 MB as published and about 0.6 MB as brotli, which matters on a phone's mobile data.
//
//   node copy-lib.mjs DESTINATION SOURCE...
//
// Run by the build (src/HotlineBot/HotlineBot.csproj, target CopyChatLib) when a source changed.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const [destination, ...sources] = process.argv.slice(2);
if (!destination || sources.length === 0) {
  console.error('usage: node copy-lib.mjs DESTINATION SOURCE...');
  process.exit(2);
}

// Every file through a temporary name and a rename: a build running beside this one never sees half a file.
async function put(target, content) {
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, target);
}

await mkdir(destination, { recursive: true });
for (const source of sources) {
  const target = join(destination, basename(source));
  const content = await readFile(source);
  if (source.endsWith('.js')) {
    const brotli = brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    });
    await put(`${target}.br`, brotli);
    await put(`${target}.gz`, gzipSync(content, { level: 9 }));
    console.log(`${basename(source)}: ${content.length} bytes, ${brotli.length} as brotli`);
  }
  // The plain file last: the build compares its time with the source's, so a run cut short leaves it
  // missing or old and the next build runs this again.
  await put(target, content);
}
