/**
 * A text banner under a picture: the picture, then a dark band with lines of text (wrapped to
 * the width), e.g. a key image's result, volume, model and research-use notice. Pure.
 */
import { GLYPH_HEIGHT, GLYPH_WIDTH, type RgbImage, drawText } from './bitmap-font.js';

export interface BannerLine {
  readonly text: string;
  readonly colour?: readonly [number, number, number];
}

const MARGIN = 4;
const LINE_GAP = 3;

/** Splits text into lines of at most `width` characters, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let w = word;
    while (w.length > width) {
      if (line) out.push(line);
      out.push(w.slice(0, width));
      w = w.slice(width);
      line = '';
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  return out;
}

export function withBanner(image: RgbImage, lines: readonly BannerLine[]): RgbImage {
  const perLine = Math.max(1, Math.floor((image.width - 2 * MARGIN) / GLYPH_WIDTH));
  const wrapped = lines.flatMap((l) => wrapText(l.text, perLine).map((text) => ({ ...l, text })));
  const band = 2 * MARGIN + wrapped.length * (GLYPH_HEIGHT + LINE_GAP);
  const out: RgbImage = {
    width: image.width,
    height: image.height + band,
    pixels: new Uint8Array(image.width * (image.height + band) * 3),
  };
  out.pixels.set(image.pixels);
  out.pixels.fill(24, image.pixels.length);
  wrapped.forEach((l, n) =>
    drawText(out, {
      text: l.text,
      x: MARGIN,
      y: image.height + MARGIN + n * (GLYPH_HEIGHT + LINE_GAP),
      ...(l.colour && { color: l.colour }),
    }),
  );
  return out;
}
