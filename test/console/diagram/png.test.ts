import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildDiagramGraph, layoutDiagram, renderDiagramSvg, STATUS_PAINT, stateStatuses, svgToPng } from '../../../src/console/diagram/index.js';
import { PIPELINE, runPipeline, wire } from './fixtures.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Decoded {
  width: number;
  height: number;
  depth: number;
  colour: number;
  /** RGBA of the pixel at (x, y). */
  at(x: number, y: number): number[];
}

/** A minimal decoder for the 8-bit RGBA, non-interlaced PNGs resvg writes. */
function decode(png: Buffer): Decoded {
  expect(png.subarray(0, 8).equals(SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  const [width, height, depth, colour] = [png.readUInt32BE(16), png.readUInt32BE(20), png.readUInt8(24), png.readUInt8(25)];
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.subarray(at + 4, at + 8).toString('latin1') === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i] ?? 0;
      const a = i >= 4 ? (pixels[y * stride + i - 4] ?? 0) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + i] ?? 0) : 0;
      const c = i >= 4 && y > 0 ? (pixels[(y - 1) * stride + i - 4] ?? 0) : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      pixels[y * stride + i] = (v + predictor) & 0xff;
    }
  }
  return { width, height, depth, colour, at: (x, y) => [...pixels.subarray(y * stride + x * 4, y * stride + x * 4 + 4)] };
}

const sizeOf = (svg: string): [number, number] => {
  const m = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg);
  return [Number(m?.[1]), Number(m?.[2])];
};

const rgba = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).concat(255);

describe('the diagram as PNG', () => {
  const svg = renderDiagramSvg(PIPELINE, { title: 'InfraMonitoring' });

  it('is an RGBA PNG the size of the SVG, on a white background', () => {
    const png = decode(svgToPng(svg));
    const [w, h] = sizeOf(svg);
    expect(png).toMatchObject({ width: w, height: h, depth: 8, colour: 6 });
    expect(png.at(0, 0)).toEqual([255, 255, 255, 255]);
    expect(png.at(w - 1, h - 1)).toEqual([255, 255, 255, 255]);
  });

  it('puts white behind an SVG that has no background of its own', () => {
    const png = decode(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect x="10" width="10" height="10" fill="#ff0000"/></svg>'));
    expect(png.at(2, 5)).toEqual([255, 255, 255, 255]);
    expect(png.at(15, 5)).toEqual([255, 0, 0, 255]);
  });

  it('scales: twice the pixels each way at scale 2', () => {
    const [w, h] = sizeOf(svg);
    expect(decode(svgToPng(svg, { scale: 2 }))).toMatchObject({ width: 2 * w, height: 2 * h });
  });

  it('shows an execution’s colours: the failed state red, the caught one orange, the unreached grey', async () => {
    const status = stateStatuses(wire(await runPipeline({ collectorFailures: Infinity })), PIPELINE);
    const coloured = renderDiagramSvg(PIPELINE, { status });
    const png = decode(svgToPng(coloured));
    const layout = layoutDiagram(buildDiagramGraph(PIPELINE));
    const dx = (png.width - layout.width) / 2;
    // A point inside each state, left of its text.
    const fillOf = (name: string): number[] => {
      const n = layout.nodes.find((o) => o.name === name);
      return png.at(Math.round(dx + (n?.x ?? 0) - (n?.width ?? 0) / 2 + 16), Math.round((n?.y ?? 0) + 4));
    };
    expect(fillOf('PipelineFailed')).toEqual(rgba(STATUS_PAINT.failed.fill));
    expect(fillOf('CollectMetrics')).toEqual(rgba(STATUS_PAINT.caught.fill));
    expect(fillOf('NotifyFailure')).toEqual(rgba(STATUS_PAINT.succeeded.fill));
    expect(fillOf('NotifySuccess')).toEqual(rgba(STATUS_PAINT.notReached.fill));
  });

  it('refuses a scale that is not a positive zoom', () => {
    expect(() => svgToPng(svg, { scale: 0 })).toThrow(RangeError);
    expect(() => svgToPng(svg, { scale: Number.NaN })).toThrow(RangeError);
  });
});
