import { describe, expect, it } from 'vitest';
import { barChartSvg } from './charts.ts';

describe('barChartSvg', () => {
  const svg = barChartSvg({
    title: 'Registrants & selections <by district>',
    subtitle: 'G2G "2013"',
    bars: [
      { label: 'Cumilla', value: 1000, inner: 25 },
      { label: 'Dhaka', value: 500, inner: 0 },
      { label: '<script>', value: 0 },
    ],
    reference: { value: 1200, label: 'cap' },
    legend: ['registered', 'selected'],
  });

  it('escapes every text and is one well-formed svg element', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('Registrants &amp; selections &lt;by district&gt;');
    expect(svg).toContain('G2G &quot;2013&quot;');
  });

  it('scales bars to the largest value or the reference line, whichever is larger', () => {
    const widths = [
      ...svg.matchAll(/<rect x="170" y="\d+" width="(\d+)" height="16" fill="#9ecae1"\/>/g),
    ].map((m) => Number(m[1]));
    expect(widths).toEqual([400, 200, 0]);
    expect(svg).toMatch(/<line x1="650"/);
  });
});
