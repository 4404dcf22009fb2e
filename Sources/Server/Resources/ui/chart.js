// The fleet timeline: events per minute, stacked by type, as plain SVG. It starts from the last
// events of the log and grows with the live stream.

import { collect } from './api.js';
import { h, replace } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const MINUTES = 30;
const COLOURS = ['#1f5fa8', '#b3541e', '#2e7d32', '#7b3fa0', '#a8323e', '#00707a', '#6b5d00', '#4a4a4a'];

function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

/** Counts events per minute and type, and draws them. */
export class FleetChart {
  constructor(figure) {
    this.figure = figure;
    this.buckets = new Map();
    this.types = new Map();
    this.scheduled = false;
  }

  /** Reads up to the last 5,000 events before log position `head`. */
  async load(head) {
    const after = Math.max(0, head - 5000);
    const events = await collect(`/v1/events?after=${after}&limit=1000`, 'events');
    for (const event of events) if (event.position <= head) this.add(event, false);
    this.render();
  }

  /** Counts one event; draws at most once a frame. */
  add(event, draw = true) {
    const time = Date.parse(event.recorded_at);
    if (Number.isNaN(time)) return;
    const minute = Math.floor(time / 60000);
    const bucket = this.buckets.get(minute) || new Map();
    bucket.set(event.type, (bucket.get(event.type) || 0) + 1);
    this.buckets.set(minute, bucket);
    this.types.set(event.type, (this.types.get(event.type) || 0) + 1);
    if (draw && !this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => { this.scheduled = false; this.render(); });
    }
  }

  render() {
    const minutes = [...this.buckets.keys()];
    const last = minutes.length ? Math.max(...minutes, Math.floor(Date.now() / 60000)) : Math.floor(Date.now() / 60000);
    const range = Array.from({ length: MINUTES }, (_, i) => last - MINUTES + 1 + i);
    const ranked = [...this.types.entries()].sort((a, b) => b[1] - a[1]).map(([type]) => type);
    const shown = ranked.slice(0, COLOURS.length - 1);
    const colour = (type) => COLOURS[shown.includes(type) ? shown.indexOf(type) : COLOURS.length - 1];
    const key = (type) => (shown.includes(type) ? type : 'other');
    const totals = range.map((minute) => [...(this.buckets.get(minute) || new Map()).values()].reduce((a, b) => a + b, 0));
    const max = Math.max(1, ...totals);
    const width = 720, height = 220, left = 40, bottom = 30, top = 10;
    const barWidth = (width - left - 10) / MINUTES;
    const y = (value) => height - bottom - (value / max) * (height - bottom - top);
    const total = totals.reduce((a, b) => a + b, 0);
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc', id: 'fleet-chart-svg' },
      s('title', { id: 'chart-title' }, 'Events per minute by type'),
      s('desc', { id: 'chart-desc' }, `${total} events in the last ${MINUTES} minutes shown; busiest minute ${max === 1 && !total ? 0 : max} events.`));
    for (const tick of [0, max / 2, max]) {
      svg.append(s('line', { x1: left, x2: width - 10, y1: y(tick), y2: y(tick), class: 'grid' }),
        s('text', { x: left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis' }, Math.round(tick)));
    }
    range.forEach((minute, index) => {
      let base = 0;
      const bucket = this.buckets.get(minute) || new Map();
      const grouped = new Map();
      for (const [type, count] of bucket) grouped.set(key(type), (grouped.get(key(type)) || 0) + count);
      for (const [type, count] of grouped) {
        const rect = s('rect', {
          x: left + index * barWidth + 1, width: Math.max(barWidth - 2, 1), y: y(base + count), height: y(base) - y(base + count),
          fill: type === 'other' ? COLOURS[COLOURS.length - 1] : colour(type), 'data-type': type,
        }, s('title', {}, `${new Date(minute * 60000).toISOString().slice(11, 16)}Z: ${count} ${type}`));
        svg.append(rect);
        base += count;
      }
      if (index % 5 === 0 || index === MINUTES - 1) {
        svg.append(s('text', { x: left + index * barWidth + barWidth / 2, y: height - 10, 'text-anchor': 'middle', class: 'axis' },
          new Date(minute * 60000).toISOString().slice(11, 16)));
      }
    });
    const legend = h('ul', { class: 'legend', 'aria-label': 'Event types' },
      [...shown, ...(ranked.length > shown.length ? ['other'] : [])].map((type) => h('li', {},
        h('span', { class: 'swatch', style: `background:${type === 'other' ? COLOURS[COLOURS.length - 1] : colour(type)}`, 'aria-hidden': 'true' }),
        `${type} (${type === 'other' ? ranked.slice(shown.length).reduce((a, t) => a + this.types.get(t), 0) : this.types.get(type)})`)));
    replace(this.figure, svg, legend);
  }
}
