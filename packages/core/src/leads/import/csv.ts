/**
 * Reading the files people export from Excel, WPS or another CRM: bytes → text (UTF-8 with or
 * without BOM, UTF-16 with BOM, or GBK/GB18030 — what Chinese Excel writes for "CSV") → rows
 * (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes; comma, semicolon or tab).
 * Pure functions, no I/O.
 */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export function decodeText(
  bytes: Uint8Array,
  hint: 'auto' | 'utf-8' | 'gbk' = 'auto',
): { text: string; encoding: Encoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (hint === 'gbk') return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: a Chinese Excel "CSV" is GBK; GB18030 is its superset and decodes it exactly.
    if (hint === 'utf-8') throw new Error('the file is not valid UTF-8');
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** The delimiter of the header line: the most frequent of comma, semicolon and tab outside quotes. */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 10_000; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c as keyof typeof counts]++;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t']
    ? ';'
    : counts['\t'] > counts[',']
      ? '\t'
      : ',';
}

/**
 * Parses CSV text into rows of cells. Blank lines are dropped; a row keeps its cells as written
 * (trimming and validation come later, per field).
 */
export function parseCsv(text: string, delimiter: string = detectDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  const endRow = () => {
    row.push(cell);
    cell = '';
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      // Copy a run of ordinary characters at once.
      const next = text.indexOf('"', i);
      const end = next === -1 ? n : next;
      cell += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === 34 && cell === '') {
      quoted = true;
      i++;
    } else if (c === d) {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === 10 /* \n */) {
      endRow();
      i++;
    } else if (c === 13 /* \r */) {
      endRow();
      i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      // A run up to the next special character.
      let j = i + 1;
      while (j < n) {
        const x = text.charCodeAt(j);
        if (x === d || x === 10 || x === 13 || x === 34) break;
        j++;
      }
      cell += text.slice(i, j);
      i = j;
    }
  }
  if (cell !== '' || row.length) endRow();
  return rows;
}

/** One CSV cell as Excel reads it back: quoted when it holds a delimiter, quote or line break. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // A leading =, +, - or @ would be run as a formula by Excel: prefix it (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d[\d\s().-]*$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows to CSV text with a BOM, so Excel opens Chinese text as UTF-8. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
