const before = new Set(process.moduleLoadList);
for (const m of process.argv.slice(2)) await import(m);
const l = process.moduleLoadList.filter((x) => !before.has(x) && x.startsWith('NativeModule'));
console.log(
  process.argv.slice(2).join(' '),
  [
    'undici',
    'cluster',
    'NativeModule zlib',
    'http2',
    'NativeModule tls',
    'NativeModule https',
    'sqlite',
    'worker_threads',
  ]
    .filter((w) => l.some((x) => x.includes(w)))
    .join(','),
);
