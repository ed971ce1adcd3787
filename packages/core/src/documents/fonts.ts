import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * The document font: Noto Sans Hans (the Simplified Chinese subset of Noto Sans CJK: nearly all CJK
 * Unified Ideographs and Extension A, Latin, punctuation), Regular and Bold, SIL Open Font License
 * 1.1, shipped by the npm package `@embedpdf/fonts-sc`. It comes with `npm install`, so PDFs render Chinese on a machine without any
 * system fonts, and every machine embeds the same glyphs (byte-identical PDFs for the same record).
 * Only the glyphs a document uses are embedded (a subset of a few dozen KB).
 */
export const DOCUMENT_FONT = { family: 'Noto Sans Hans', package: '@embedpdf/fonts-sc', license: 'OFL-1.1' } as const;

export type FontWeight = 'regular' | 'bold';
const FILES: Record<FontWeight, string> = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' };

const require = createRequire(import.meta.url);
const loaded = new Map<FontWeight, fontkit.Font>();

function fontFile(weight: FontWeight): string {
  // The package's entry is dist/index.*; the OpenType files sit beside it under fonts/.
  const entry = require.resolve(DOCUMENT_FONT.package);
  return path.join(path.dirname(entry), '..', 'fonts', FILES[weight]);
}

/**
 * The parsed font, read once per process: fontkit keeps its glyph cache on the font object, so
 * later documents lay out and subset several times faster than with a fresh parse each time.
 */
export function documentFont(weight: FontWeight): fontkit.Font {
  let f = loaded.get(weight);
  if (!f) {
    const parsed = fontkit.create(fs.readFileSync(fontFile(weight)));
    if (!('layout' in parsed)) throw new Error(`${FILES[weight]} is a font collection, not a single font`);
    f = parsed;
    loaded.set(weight, f);
  }
  return f;
}

/** Whether the document font has a glyph for every character of the text (spaces and line breaks aside). */
export function missingGlyphs(text: string): string[] {
  const font = documentFont('regular');
  const missing = new Set<string>();
  for (const ch of text) if (!/\s/.test(ch) && !font.hasGlyphForCodePoint(ch.codePointAt(0)!)) missing.add(ch);
  return [...missing];
}
