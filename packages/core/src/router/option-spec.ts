/** A declared `--option`. */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean';
  description?: string;
  default?: string | number | boolean;
  /** Single-letter alias (`-l`). */
  alias?: string;
  /** Allowed values. */
  choices?: readonly (string | number)[];
}
