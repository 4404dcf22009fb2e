// The fleet view: every node in a table that filters and sorts, with counts by provision state,
// kept current by the event stream (each node event re-reads that one node; nothing polls).

import { collect, request, ApiError } from './api.js';
import { h, replace, keepingFocus } from './dom.js';

/** The node fields the fleet shows. */
export const FLEET_FIELDS = ['uuid', 'name', 'driver', 'power_state', 'provision_state', 'target_provision_state', 'maintenance', 'last_error'];

const COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'driver', label: 'Driver' },
  { key: 'power_state', label: 'Power' },
  { key: 'provision_state', label: 'Provision state' },
  { key: 'maintenance', label: 'Maintenance' },
  { key: 'last_error', label: 'Last error' },
];

/** The fleet table, its filters and its counts, over the elements of `index.html`. */
export class FleetView {
  constructor(root) {
    this.root = root;
    this.nodes = new Map();
    this.sort = { key: 'name', ascending: true };
    this.filterText = root.querySelector('#fleet-filter');
    this.filterState = root.querySelector('#fleet-state');
    this.counts = root.querySelector('#fleet-counts');
    this.table = root.querySelector('#fleet-table');
    this.pending = new Map();
    this.filterText.addEventListener('input', () => this.render());
    this.filterState.addEventListener('change', () => this.render());
  }

  /** Reads every node from the server. */
  async load() {
    const nodes = await collect(`/v1/nodes?fields=${FLEET_FIELDS.join(',')}&limit=1000`, 'nodes');
    this.nodes = new Map(nodes.map((node) => [node.uuid, node]));
    this.render();
  }

  /** An event from the stream: a node's event re-reads that node (coalescing bursts). */
  onEvent(event) {
    if (!event.stream || !event.stream.startsWith('node/')) return;
    const uuid = event.stream.slice(5);
    if (this.pending.has(uuid)) return;
    this.pending.set(uuid, setTimeout(() => this.refresh(uuid), 50));
  }

  async refresh(uuid) {
    this.pending.delete(uuid);
    try {
      const node = await request('GET', `/v1/nodes/${uuid}?fields=${FLEET_FIELDS.join(',')}`);
      this.nodes.set(node.uuid, node);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.nodes.delete(uuid);
      else return;
    }
    this.render();
  }

  /** The nodes passing the filters, sorted. */
  visible() {
    const text = this.filterText.value.trim().toLowerCase();
    const state = this.filterState.value;
    const { key, ascending } = this.sort;
    return [...this.nodes.values()]
      .filter((node) => !state || node.provision_state === state)
      .filter((node) => !text || FLEET_FIELDS.some((field) => String(node[field] ?? '').toLowerCase().includes(text)))
      .sort((a, b) => {
        const order = String(a[key] ?? '').localeCompare(String(b[key] ?? ''), undefined, { numeric: true });
        return (ascending ? order : -order) || String(a.uuid).localeCompare(String(b.uuid));
      });
  }

  render() {
    keepingFocus(this.root, focusSelector, () => this.draw());
  }

  draw() {
    this.renderCounts();
    const rows = this.visible().map((node) => h('tr', { 'data-uuid': node.uuid, 'data-state': node.provision_state },
      h('th', { scope: 'row' }, h('a', { href: `#/node/${node.uuid}` }, node.name || node.uuid)),
      h('td', {}, node.driver),
      h('td', {}, powerBadge(node.power_state)),
      h('td', {}, stateBadge(node.provision_state), node.target_provision_state ? [' → ', stateBadge(node.target_provision_state)] : null),
      h('td', {}, node.maintenance ? h('span', { class: 'badge warn' }, 'yes') : 'no'),
      h('td', { class: 'error-text' }, node.last_error || '')));
    const header = h('tr', {}, COLUMNS.map(({ key, label }) => {
      const sorted = this.sort.key === key;
      return h('th', { scope: 'col', 'aria-sort': sorted ? (this.sort.ascending ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', 'data-sort': key, onclick: () => this.sortBy(key) },
          label, h('span', { 'aria-hidden': 'true' }, sorted ? (this.sort.ascending ? ' ▲' : ' ▼') : '')));
    }));
    replace(this.table,
      h('caption', {}, `${rows.length} of ${this.nodes.size} nodes`),
      h('thead', {}, header),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: COLUMNS.length }, 'No node matches.'))));
  }

  sortBy(key) {
    this.sort = { key, ascending: this.sort.key === key ? !this.sort.ascending : true };
    this.render();
    this.table.querySelector(`button[data-sort="${key}"]`)?.focus();
  }

  renderCounts() {
    const counts = new Map();
    for (const node of this.nodes.values()) counts.set(node.provision_state, (counts.get(node.provision_state) || 0) + 1);
    const states = [...counts.keys()].sort();
    const chosen = this.filterState.value;
    replace(this.filterState, h('option', { value: '' }, 'All states'),
      states.map((state) => h('option', { value: state, selected: state === chosen }, state)));
    if (chosen && !counts.has(chosen)) this.filterState.value = '';
    replace(this.counts, states.map((state) => h('li', { 'data-state': state },
      h('button', { type: 'button', class: 'count', onclick: () => { this.filterState.value = state; this.render(); } },
        h('span', { class: 'count-state' }, state), ' ', h('strong', {}, String(counts.get(state)))))));
  }
}

/** Where focus goes back to after a redraw: the same node's link, sort button or count. */
function focusSelector(element) {
  const row = element.closest('tr[data-uuid]');
  if (row && element.tagName === 'A') return `tr[data-uuid="${row.dataset.uuid}"] th a`;
  if (element.dataset.sort) return `button[data-sort="${element.dataset.sort}"]`;
  const count = element.closest('li[data-state]');
  if (count) return `li[data-state="${count.dataset.state}"] button`;
  return element.id ? `#${element.id}` : null;
}

/** A provision state as a coloured badge (the text says it; the colour only helps). */
export function stateBadge(state) {
  const kind = !state ? 'muted' : /fail|error/.test(state) ? 'bad' : state === 'active' || state === 'available' ? 'good' : /ing$|wait/.test(state) ? 'busy' : 'plain';
  return h('span', { class: `badge ${kind}` }, state || 'none');
}

/** A power state as a badge. */
export function powerBadge(state) {
  return h('span', { class: `badge ${state === 'power on' ? 'good' : 'plain'}` }, state || 'unknown');
}
