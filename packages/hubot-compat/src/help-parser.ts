import { readFile } from 'node:fs/promises';

const SECTIONS = new Set([
  'description',
  'dependencies',
  'configuration',
  'commands',
  'notes',
  'author',
  'authors',
  'examples',
  'tags',
  'urls',
]);

/**
 * The lines of a script's `Commands:` section, from the comment block at the top of the file (`#` or
 * `//` lines, after an optional `'use strict'`), as Hubot's `parseHelp` reads them.
 */
export function parseCommandsBlock(source: string): string[] {
  const lines: string[] = [];
  for (const line of source.replace(/^["']use strict['"];?\s+/, '').split(/\r\n|\n|\r/)) {
    if (!/^(#|\/\/)/.test(line)) break;
    const text = line.replace(/^[#/]+\s*/, '');
    if (text) lines.push(text);
  }
  const commands: string[] = [];
  let section: string | undefined;
  for (const line of lines) {
    if (line.toLowerCase() === 'none') continue;
    const heading = line.toLowerCase().replace(':', '');
    if (SECTIONS.has(heading)) section = heading;
    else if (section === 'commands') commands.push(line);
  }
  return commands;
}

/** Reads a script file's `Commands:` lines; a file that cannot be read has none. */
export async function readCommandsBlock(file: string): Promise<string[]> {
  try {
    return parseCommandsBlock(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
}

/** `hubot echo <text> - Reply back` → usage `echo <text>` (without the robot's name) and summary. */
export function splitHelpLine(line: string): { usage: string; summary: string } {
  const separator = line.indexOf(' - ');
  const usage = (separator === -1 ? line : line.slice(0, separator)).replace(/^hubot\b\s*/i, '').trim();
  const summary = separator === -1 ? '' : line.slice(separator + 3).trim();
  return { usage, summary };
}

/** A text that the usage describes, to find the listener it documents: `echo <text>` → `echo text`. */
export function sampleText(usage: string): string {
  return usage
    .replace(/[<[]([^>\]]*)[>\]]/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
