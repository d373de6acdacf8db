/**
 * Small, dependency-free SVG charts for the demo report: horizontal bars with an optional second
 * series and an optional reference line (a cap). Every text is escaped; sizes are integers.
 */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Drawn inside the main bar, darker (e.g. selected out of registered). */
  readonly inner?: number;
}

export interface BarChart {
  readonly title: string;
  readonly subtitle?: string;
  readonly bars: readonly Bar[];
  readonly valueLabel?: (value: number, bar: Bar) => string;
  /** A vertical reference line with its label (e.g. the fee cap). */
  readonly reference?: { readonly value: number; readonly label: string };
  readonly legend?: readonly [string, string?];
}

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const BAR = 16;
const GAP = 6;
const LEFT = 170;
const WIDTH = 760;
const PLOT = WIDTH - LEFT - 110;

export function barChartSvg(chart: BarChart): string {
  const top = chart.subtitle ? 56 : 40;
  const legendHeight = chart.legend ? 24 : 0;
  const height = top + chart.bars.length * (BAR + GAP) + legendHeight + 24;
  const max = Math.max(1, chart.reference?.value ?? 0, ...chart.bars.map((b) => b.value));
  const x = (v: number) => LEFT + Math.round((Math.max(0, v) / max) * PLOT);
  const label = chart.valueLabel ?? ((v: number) => v.toLocaleString('en'));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="24" font-size="16" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  if (chart.subtitle) parts.push(`<text x="12" y="44" fill="#555">${escapeXml(chart.subtitle)}</text>`);
  chart.bars.forEach((bar, i) => {
    const y = top + i * (BAR + GAP);
    parts.push(
      `<text x="${LEFT - 8}" y="${y + 12}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LEFT}" y="${y}" width="${x(bar.value) - LEFT}" height="${BAR}" fill="#9ecae1"/>`,
    );
    if (bar.inner !== undefined) {
      parts.push(
        `<rect x="${LEFT}" y="${y}" width="${x(bar.inner) - LEFT}" height="${BAR}" fill="#08519c"/>`,
      );
    }
    parts.push(
      `<text x="${x(bar.value) + 6}" y="${y + 12}" fill="#222">${escapeXml(label(bar.value, bar))}</text>`,
    );
  });
  if (chart.reference) {
    const rx = x(chart.reference.value);
    const bottom = top + chart.bars.length * (BAR + GAP);
    parts.push(
      `<line x1="${rx}" y1="${top - 6}" x2="${rx}" y2="${bottom}" stroke="#d62728" stroke-width="2" stroke-dasharray="5,3"/>`,
      `<text x="${rx + 4}" y="${top - 8}" fill="#d62728">${escapeXml(chart.reference.label)}</text>`,
    );
  }
  if (chart.legend) {
    const y = top + chart.bars.length * (BAR + GAP) + 12;
    parts.push(
      `<rect x="${LEFT}" y="${y}" width="12" height="12" fill="#9ecae1"/>`,
      `<text x="${LEFT + 18}" y="${y + 10}">${escapeXml(chart.legend[0])}</text>`,
    );
    if (chart.legend[1]) {
      parts.push(
        `<rect x="${LEFT + 200}" y="${y}" width="12" height="12" fill="#08519c"/>`,
        `<text x="${LEFT + 218}" y="${y + 10}">${escapeXml(chart.legend[1])}</text>`,
      );
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
