/**
 * Daily signups as bars: an SVG stretched to the card (bars only, so nothing distorts) with the axis
 * labels in HTML, so text stays the page's size at 1280 and at 390 px. No chart library; readable
 * without script; the figure has a text alternative.
 */
export function SignupChart(props: { sku: string; days: { date: string; signups: number }[] }) {
  const days = props.days;
  const max = Math.max(0, ...days.map((d) => d.signups));
  // The scale's top is even, so the middle grid line sits on a whole number.
  const top = Math.max(2, Math.ceil(max / 2) * 2);
  const total = days.reduce((s, d) => s + d.signups, 0);
  const n = Math.max(1, days.length);
  return (
    <figure class="chart" style="margin:0">
      <div class="chart-body">
        <div class="chart-y" aria-hidden="true">
          <span>{top}</span>
          <span>{top / 2}</span>
          <span>0</span>
        </div>
        <svg
          viewBox={`0 0 ${n * 10} 100`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`Daily signups for ${props.sku}: ${total} in ${days.length} days, at most ${max} on one day`}
        >
          <line x1="0" x2={n * 10} y1="0.5" y2="0.5" class="grid" vector-effect="non-scaling-stroke" />
          <line x1="0" x2={n * 10} y1="50" y2="50" class="grid" vector-effect="non-scaling-stroke" />
          <line x1="0" x2={n * 10} y1="99.5" y2="99.5" class="axis" vector-effect="non-scaling-stroke" />
          {days.map((d, i) => (
            <rect
              class="bar"
              x={i * 10 + 1.5}
              y={100 - (100 * d.signups) / top}
              width="7"
              height={(100 * d.signups) / top}
            >
              <title>{`${d.date}: ${d.signups}`}</title>
            </rect>
          ))}
        </svg>
      </div>
      <div class="chart-x" aria-hidden="true">
        <span>{days[0]?.date ?? ''}</span>
        <span>{days[days.length - 1]?.date ?? ''}</span>
      </div>
      <figcaption class="small muted">
        {total} signup{total === 1 ? '' : 's'} in the last {days.length} days; busiest day {max}.
      </figcaption>
    </figure>
  );
}
