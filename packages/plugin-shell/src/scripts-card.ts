import { type Card, formatDuration } from '@chatops/core';
import type { ParameterSpec } from './parameters.js';
import type { Script } from './script-catalog.js';

/** The `scripts` answer: every declared script with its usage. */
export function scriptListCard(scripts: Iterable<Script>): Card {
  const rows = [...scripts].map((script) => [
    script.expose ? `${script.usage}` : `run ${script.usage}`,
    script.effect,
    script.description,
  ]);
  if (rows.length === 0) return { text: 'No scripts are declared.', status: 'info' };
  return {
    title: 'Scripts',
    table: { columns: ['Usage', 'Effect', 'Description'], rows },
    footer: '`scripts <name>` explains one script’s arguments.',
  };
}

/** `scripts <name>`: one script and what each argument accepts. */
export function scriptDetailCard(script: Script): Card {
  const card: Card = {
    title: script.name,
    text: script.description,
    fields: [
      {
        label: 'Usage',
        value: script.expose ? `${script.usage} (or run ${script.usage})` : `run ${script.usage}`,
        short: false,
      },
      { label: 'Effect', value: script.effect, short: true },
      { label: 'Timeout', value: formatDuration(script.timeoutMs), short: true },
    ],
  };
  if (script.parameters.length > 0) {
    card.table = {
      columns: ['Argument', 'Accepts', 'Description'],
      rows: script.parameters.map((parameter) => [
        parameter.required ? `<${parameter.name}>` : `[${parameter.name}]`,
        accepts(parameter),
        parameter.description ?? '',
      ]),
    };
  }
  return card;
}

function accepts(parameter: ParameterSpec): string {
  const dash = parameter.allowDash ? ' (may start with "-"; write it after --)' : '';
  if (parameter.enum) return `one of ${parameter.enum.join(', ')}${dash}`;
  if (parameter.number) {
    const { min, max, integer } = parameter.number;
    const kind = integer ? 'a whole number' : 'a number';
    const range = [min !== undefined ? `≥ ${min}` : '', max !== undefined ? `≤ ${max}` : '']
      .filter(Boolean)
      .join(', ');
    return `${kind}${range ? ` ${range}` : ''}${dash}`;
  }
  return `matches ${parameter.pattern}${dash}`;
}
