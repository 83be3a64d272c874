// Export of the sequence diagram: a standalone SVG (styles inlined with the current theme's colours),
// a PNG drawn from that SVG on a canvas, and the Mermaid text.

import { toMermaid, type LadderModel, type SeqMode, type TimeMode } from '../../core/analysis/ladder';
import { buildScene, geometry, nodeToSvg, sceneRow, sceneTree, wrapText, type SceneOptions } from './scene';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Replace var(--x, fallback) by the values computed on `el` (innermost first). */
export function resolveVars(css: string, el: Element): string {
  const cs = getComputedStyle(el);
  const re = /var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)/g;
  let prev = '';
  let out = css;
  for (let k = 0; k < 8 && out !== prev && out.includes('var('); k++) {
    prev = out;
    out = out.replace(re, (_m, name: string, fb?: string) => cs.getPropertyValue(name).trim() || (fb ?? '').trim());
  }
  return out;
}

/** The stylesheet rules that draw the diagram (selectors under .ld-svg), with colours resolved. */
export function diagramCss(el: Element): string {
  const parts: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // cross-origin sheet
    }
    for (const r of Array.from(rules)) {
      if (r instanceof CSSStyleRule && r.selectorText.includes('.ld-svg')) parts.push(r.cssText);
    }
  }
  return resolveVars(parts.join('\n'), el);
}

export interface ExportOptions {
  model: LadderModel;
  width: number;
  timeMode: TimeMode;
  seqMode: SeqMode;
  /** 'whole' or the visible window of layout y */
  part: 'whole' | { top: number; height: number };
  /** highlight this frame in the export (usually null) */
  selectedFrame: number | null;
  /** the live svg (for theme colours and the stylesheet) */
  liveSvg: Element;
  title: string;
}

/** A standalone SVG document, as parts (whole diagrams of long streams are big: keep them as Blob parts). */
export function exportSvgParts(o: ExportOptions): { parts: string[]; width: number; height: number } {
  const g = geometry(o.width);
  const L = o.model.layouts[o.timeMode];
  const whole = o.part === 'whole';
  const viewTop = whole ? 0 : (o.part as { top: number }).top;
  const viewHeight = whole ? L.height : (o.part as { height: number }).height;
  const caption = wrapText(o.model.caption[o.timeMode], Math.max(40, Math.floor((o.width - 40) / 6.4)));
  const captionH = 18 + caption.length * 16 + 10;
  const titleH = 30;
  const height = Math.ceil(titleH + g.headerH + viewHeight + captionH);
  const css = diagramCss(o.liveSvg);
  const bg = resolveVars('var(--ld-bg)', o.liveSvg) || '#ffffff';
  const parts: string[] = [];
  parts.push(
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="${SVG_NS}" class="ld-svg" width="${o.width}" height="${height}" viewBox="0 0 ${o.width} ${height}" role="img" aria-label="Sequence diagram">`,
  );
  parts.push(`<title>${escapeXml(o.title)}</title>`);
  parts.push(`<style>\n${css}\n</style>`);
  parts.push(`<rect x="0" y="0" width="${o.width}" height="${height}" fill="${escapeXml(bg)}"/>`);
  parts.push(`<text x="16" y="20" class="ld-export-title">${escapeXml(o.title)}</text>`);
  parts.push(`<g transform="translate(0,${titleH})">`);
  const so: SceneOptions = {
    width: o.width,
    timeMode: o.timeMode,
    seqMode: o.seqMode,
    viewTop,
    viewHeight,
    selectedFrame: o.selectedFrame,
    interactive: false,
  };
  if (whole) {
    // the background and header, then the rows one by one (they can be many)
    const scene = buildScene(o.model, { ...so, rows: [0, -1] });
    parts.push(nodeToSvg(scene.under).join(''));
    parts.push('<g class="ld-rows">');
    for (let i = 0; i < o.model.rows.length; i++) parts.push(nodeToSvg(sceneRow(o.model, i, so)).join(''));
    parts.push('</g>');
    parts.push(nodeToSvg(scene.header).join(''));
  } else {
    parts.push(`<clipPath id="ld-clip"><rect x="0" y="0" width="${o.width}" height="${g.headerH + viewHeight}"/></clipPath>`);
    parts.push(`<g clip-path="url(#ld-clip)">`);
    parts.push(nodeToSvg(sceneTree(o.model, so)).join(''));
    parts.push('</g>');
  }
  parts.push('</g>');
  const cy = titleH + g.headerH + viewHeight + 22;
  parts.push(
    `<text class="ld-export-caption" x="16" y="${cy}">${caption
      .map((l, i) => `<tspan x="16" dy="${i ? 16 : 0}">${escapeXml(l)}</tspan>`)
      .join('')}</text>`,
  );
  parts.push('</svg>\n');
  return { parts, width: o.width, height };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Largest canvas side browsers reliably allow. */
export const MAX_CANVAS = 16_000;

/** Draw an SVG document on a canvas and give the PNG. */
export async function svgToPng(svgParts: string[], width: number, height: number, scale = 2): Promise<Blob> {
  const s = Math.min(scale, MAX_CANVAS / height, MAX_CANVAS / width);
  if (s < 0.35) throw new Error(`The diagram is too tall for a PNG (${Math.round(height)} px): export it as SVG, or export the visible part.`);
  const url = URL.createObjectURL(new Blob(svgParts, { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the SVG could not be drawn'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * s);
    canvas.height = Math.round(height * s);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.setTransform(s, 0, 0, s, 0, 0);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall back to a hidden textarea (insecure origins, denied permission)
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  if (!ok) throw new Error('the clipboard is not available');
}

export function mermaidText(model: LadderModel, seqMode: SeqMode): string {
  return toMermaid(model, { seqMode });
}

export function baseFilename(model: LadderModel): string {
  const t = model.transport;
  return model.stream !== undefined ? `wirelens-${t}-stream-${model.stream}` : `wirelens-${t}-conversation`;
}
