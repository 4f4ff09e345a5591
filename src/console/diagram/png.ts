/** SVG to PNG with resvg (native, no browser): system fonts, a white background, a zoom factor. */
import { Resvg } from '@resvg/resvg-js';

export interface PngOptions {
  /** Zoom factor: 2 draws a sharp image for high-density screens. Default 1. */
  readonly scale?: number;
}

export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 16)) throw new RangeError(`scale must be in (0, 16], got ${scale}`);
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
