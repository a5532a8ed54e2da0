/** Escapes text for an XML element or attribute value. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<name>escaped value</name>`, or nothing when the value is absent. */
export function tag(name: string, value: string | number | boolean | Date | undefined): string {
  if (value === undefined) return '';
  const text = value instanceof Date ? isoSeconds(value) : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** ISO-8601 without milliseconds, as IAM and STS write timestamps. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Prefixes the XML declaration. */
export function xmlDocument(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

/** Reads a lowercase/uppercase `true`/`false` element from a small request body. */
export function readBooleanElement(xml: string, name: string): boolean | undefined {
  const match = new RegExp(`<${name}>\\s*(true|false)\\s*</${name}>`, 'i').exec(xml);
  return match ? match[1]!.toLowerCase() === 'true' : undefined;
}
