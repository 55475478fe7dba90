/**
 * A bar chart for the results page, like SignupChart: bars in an SVG stretched to the card, labels in
 * HTML (readable at 1280 and 390 px), no chart library, no script, a text alternative. Each bar may
 * carry a second, darker part (e.g. orders inside notified) drawn over it.
 */
export function BarChart(props: {
  label: string;
  caption: string;
  bars: { label: string; value: number; inner?: number; title: string }[];
  legend?: [string, string];
}) {
  const bars = props.bars;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const top = Math.max(2, Math.ceil(max / 2) * 2);
  const n = Math.max(1, bars.length);
  const h = (v: number) => (100 * v) / top;
  return (
    <figure class="chart" style="margin:0">
      {props.legend ? (
        <div class="legend" style="margin-bottom:6px" aria-hidden="true">
          <span>
            <i class="bar-outer"></i>
            {props.legend[0]}
          </span>
          <span>
            <i class="bar-inner"></i>
            {props.legend[1]}
          </span>
        </div>
      ) : null}
      <div class="chart-body">
        <div class="chart-y" aria-hidden="true">
          <span>{top}</span>
          <span>{top / 2}</span>
          <span>0</span>
        </div>
        <svg viewBox={`0 0 ${n * 10} 100`} preserveAspectRatio="none" role="img" aria-label={props.label}>
          <line x1="0" x2={n * 10} y1="0.5" y2="0.5" class="grid" vector-effect="non-scaling-stroke" />
          <line x1="0" x2={n * 10} y1="50" y2="50" class="grid" vector-effect="non-scaling-stroke" />
          <line x1="0" x2={n * 10} y1="99.5" y2="99.5" class="axis" vector-effect="non-scaling-stroke" />
          {bars.map((b, i) => (
            <g>
              <title>{b.title}</title>
              <rect
                class={props.legend ? 'bar-outer' : 'bar'}
                x={i * 10 + 1.5}
                y={100 - h(b.value)}
                width="7"
                height={h(b.value)}
              />
              {b.inner ? (
                <rect class="bar-inner" x={i * 10 + 1.5} y={100 - h(b.inner)} width="7" height={h(b.inner)} />
              ) : null}
            </g>
          ))}
        </svg>
      </div>
      <div class="chart-x" aria-hidden="true">
        {bars.length <= 8 ? (
          bars.map((b) => <span>{b.label}</span>)
        ) : (
          <>
            <span>{bars[0]?.label ?? ''}</span>
            <span>{bars[bars.length - 1]?.label ?? ''}</span>
          </>
        )}
      </div>
      <figcaption class="small muted">{props.caption}</figcaption>
    </figure>
  );
}
