/** Daily signups as an SVG bar chart: no chart library, readable without script, labelled for screen readers. */
export function SignupChart(props: { sku: string; days: { date: string; signups: number }[] }) {
  const days = props.days;
  const w = 640;
  const h = 180;
  const pad = { l: 32, r: 8, t: 10, b: 24 };
  const max = Math.max(1, ...days.map((d) => d.signups));
  const bw = days.length ? (w - pad.l - pad.r) / days.length : 0;
  const y = (v: number) => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  const total = days.reduce((s, d) => s + d.signups, 0);
  const ticks = [0, Math.ceil(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);
  return (
    <figure class="chart" style="margin:0">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Daily signups for ${props.sku}: ${total} in ${days.length} days, at most ${max} a day`}>
        {ticks.map((t) => (
          <g>
            <line x1={pad.l} x2={w - pad.r} y1={y(t)} y2={y(t)} stroke="#e5e7eb" />
            <text x={pad.l - 6} y={y(t) + 4} text-anchor="end">{t}</text>
          </g>
        ))}
        {days.map((d, i) => (
          <rect class="bar" x={pad.l + i * bw + 1} y={y(d.signups)} width={Math.max(1, bw - 2)} height={h - pad.b - y(d.signups)} rx={2}>
            <title>{`${d.date}: ${d.signups}`}</title>
          </rect>
        ))}
        {days.length > 0 ? (
          <>
            <text x={pad.l} y={h - 6}>{days[0]!.date}</text>
            <text x={w - pad.r} y={h - 6} text-anchor="end">{days[days.length - 1]!.date}</text>
          </>
        ) : null}
      </svg>
      <figcaption class="small muted">{total} signups in the last {days.length} days.</figcaption>
    </figure>
  );
}
