import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How many respond scripts both robots load. */
export const SCRIPTS = 1000;

/**
 * The i-th script's `respond` pattern. `literal`: it starts with a literal word (`svc17 status (\S+)$`),
 * which the compat layer indexes; `group`: it starts with a group (`(?:svc17|service17) status …`),
 * which no index can file, so every line tries it.
 */
export function respondSource(i, style) {
  return style === 'literal' ? `svc${i} status (\\S+)$` : `(?:svc${i}|service${i}) status (\\S+)$`;
}

/**
 * Writes `count` Hubot scripts, one CommonJS file each, as a Hubot project would hold them:
 * `module.exports = (robot) => robot.respond(/svc<i> status (\S+)$/i, (res) => res.reply(…))`.
 */
export async function writeScripts(dir, count, style) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }));
  for (let i = 0; i < count; i++) {
    const source = `// Commands:
//   hubot svc${i} status <env> - Status of svc${i}

module.exports = (robot) => {
  robot.respond(/${respondSource(i, style)}/i, async (res) => {
    await res.reply(\`svc${i} is healthy in \${res.match[1]}\`);
  });
};
`;
    await writeFile(join(dir, `svc${String(i).padStart(4, '0')}.js`), source);
  }
}
