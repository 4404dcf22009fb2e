// The node view: the node's fields (secrets masked), its ports with the VLAN and network phase
// each is on, its volume attachments, its complete event timeline with causation links, and a
// time slider that shows the node as it stood at any position of its history (`?as_of=`).

import { collect, request, ApiError } from './api.js';
import { h, replace, shortTime, announce } from './dom.js';
import { stateBadge, powerBadge } from './fleet.js';
import { renderActions } from './actions.js';

const SECRET = /pass(word)?|secret|token|private|credential|(^|_)key$/i;

/** `value` with every secret-looking member replaced by `******`, at any depth. */
export function masked(value, key = '') {
  if (key && SECRET.test(key) && value !== null && value !== '' && typeof value !== 'object') return '******';
  if (Array.isArray(value)) return value.map((item) => masked(item));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k)]));
  return value;
}

const SKIP = new Set(['links', 'ports', 'portgroups', 'states', 'volume', 'allocation_uuid']);

/** The view of one node, re-rendered on its events while it is open. */
export class NodeView {
  constructor(root) {
    this.root = root;
    this.uuid = null;
    this.history = [];
    this.asOf = null;
    this.slider = root.querySelector('#asof-slider');
    this.slider.addEventListener('input', () => this.onSlide());
    root.querySelector('#asof-live').addEventListener('click', () => this.goLive());
  }

  /** Opens the node `ident` (a UUID or name). */
  async open(ident) {
    this.asOf = null;
    this.history = [];
    replace(this.root.querySelector('#node-error'));
    try {
      const node = await request('GET', `/v1/nodes/${encodeURIComponent(ident)}`);
      this.uuid = node.uuid;
      await this.reload(node);
      this.root.querySelector('#node-title').focus();
    } catch (error) {
      this.uuid = null;
      replace(this.root.querySelector('#node-title'), 'Node not shown');
      replace(this.root.querySelector('#node-error'), h('p', { role: 'alert', class: 'error' }, error.message));
    }
  }

  /** Closes the view (the fleet is shown). */
  close() {
    this.uuid = null;
  }

  /** An event from the stream: one of this node's re-reads it. */
  onEvent(event) {
    if (!this.uuid || event.stream !== `node/${this.uuid}`) return;
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.reload().catch(() => {}), 50);
  }

  /** Re-reads the node (unless given), its ports, volumes and history. */
  async reload(node) {
    const uuid = this.uuid;
    const [current, ports, history, connectors, targets, bindings] = await Promise.all([
      node ? Promise.resolve(node) : request('GET', `/v1/nodes/${uuid}`),
      collect(`/v1/ports/detail?node=${uuid}`, 'ports').catch(() => []),
      collect(`/v1/nodes/${uuid}/history?limit=1000`, 'history'),
      collect(`/v1/nodes/${uuid}/volume/connectors?detail=True`, 'connectors').catch(() => []),
      collect(`/v1/nodes/${uuid}/volume/targets?detail=True`, 'targets').catch(() => []),
      switchBindings(uuid),
    ]);
    if (uuid !== this.uuid) return;
    this.node = current;
    this.history = history;
    this.renderHeader(current);
    renderActions(this.root.querySelector('#node-actions'), current, () => this.reload().catch(() => {}));
    this.renderPorts(ports, bindings);
    this.renderNetworkPhase(history).catch(() => {});
    this.renderVolumes(connectors, targets);
    this.renderSlider();
    if (this.asOf === null) this.renderFields(current, null);
    this.renderTimeline();
  }

  renderHeader(node) {
    replace(this.root.querySelector('#node-title'), node.name || node.uuid);
    replace(this.root.querySelector('#node-summary'),
      h('span', {}, 'UUID ', h('code', {}, node.uuid)), ' ',
      h('span', { id: 'node-provision-state', 'data-state': node.provision_state }, 'Provision ', stateBadge(node.provision_state),
        node.target_provision_state ? [' → ', stateBadge(node.target_provision_state)] : null), ' ',
      h('span', { id: 'node-power-state' }, 'Power ', powerBadge(node.power_state)), ' ',
      node.maintenance ? h('span', { class: 'badge warn' }, `maintenance: ${node.maintenance_reason || 'no reason'}`) : null,
      node.last_error ? h('p', { class: 'error', id: 'node-last-error' }, 'Last error: ', node.last_error) : null);
  }

  /** The node's fields; `asOf` names the history record they are as of, or null for now. */
  renderFields(node, asOf) {
    const banner = this.root.querySelector('#asof-banner');
    replace(banner, asOf ? h('p', { class: 'asof' }, `As of position ${asOf.position}, ${shortTime(asOf.created_at)} (after ${asOf.type})`) : null);
    const clean = masked(node);
    const rows = Object.keys(clean).filter((key) => !SKIP.has(key)).sort().map((key) => {
      const value = clean[key];
      const shown = value !== null && typeof value === 'object' ? JSON.stringify(value, null, 1) : String(value ?? '');
      return h('tr', { 'data-field': key }, h('th', { scope: 'row' }, key), h('td', {}, value !== null && typeof value === 'object' ? h('pre', {}, shown) : shown));
    });
    replace(this.root.querySelector('#node-fields'), h('caption', {}, asOf ? 'Fields as of the chosen point' : 'Fields now'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Value'))), h('tbody', {}, rows));
  }

  renderPorts(ports, bindings) {
    const rows = ports.map((port) => {
      const binding = bindings.get(port.uuid);
      return h('tr', {},
        h('th', { scope: 'row' }, h('code', {}, port.address)),
        h('td', {}, port.pxe_enabled ? 'yes' : 'no'),
        h('td', {}, port.physical_network || ''),
        h('td', {}, binding ? `${binding.switch} ${binding.switch_port}` : (port.local_link_connection?.port_id || '')),
        h('td', {}, binding ? (binding.parked ? `parked (${binding.vlan})` : String(binding.vlan)) : '—'),
        h('td', {}, binding ? [binding.network || '—', ' / ', binding.phase || '—'] : '—'),
        h('td', {}, binding ? shortTime(binding.since) : ''));
    });
    replace(this.root.querySelector('#node-ports'), h('caption', {}, `${ports.length} ports`),
      h('thead', {}, h('tr', {}, ['Address', 'PXE', 'Physical network', 'Switch port', 'VLAN', 'Network / phase', 'Since'].map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 7 }, 'No ports.'))));
  }

  /** The node's network phase, from its last `NetworkPhaseChanged` event. */
  async renderNetworkPhase(history) {
    const target = this.root.querySelector('#node-network-phase');
    const last = [...history].reverse().find((record) => record.type === 'NetworkPhaseChanged');
    if (!last) { replace(target, 'Network phase: none recorded.'); return; }
    const record = await request('GET', `/v1/nodes/${this.uuid}/history/${last.event_id}`);
    const change = record.payload?.networkPhaseChanged || {};
    replace(target, 'Network phase: ', h('strong', { 'data-phase': change.to || '' }, change.to || 'none (tenant or parked)'),
      ` since position ${last.position}, ${shortTime(last.created_at)}`, change.from ? ` (was ${change.from})` : '');
  }

  renderVolumes(connectors, targets) {
    const items = [
      ...connectors.map((c) => h('li', {}, `Connector ${c.type} `, h('code', {}, c.connector_id))),
      ...targets.map((t) => h('li', {}, `Target ${t.volume_type} `, h('code', {}, t.volume_id), ` boot index ${t.boot_index}`)),
    ];
    replace(this.root.querySelector('#node-volumes'), items.length ? items : h('li', {}, 'No volume attachments.'));
  }

  renderSlider() {
    const count = this.history.length;
    this.slider.max = String(Math.max(count - 1, 0));
    this.slider.disabled = count === 0;
    if (this.asOf === null) this.slider.value = this.slider.max;
    this.renderSliderLabel();
  }

  renderSliderLabel() {
    const record = this.history[Number(this.slider.value)];
    const live = this.asOf === null;
    this.slider.setAttribute('aria-valuetext', record ? `position ${record.position}, ${record.type}` : 'no history');
    replace(this.root.querySelector('#asof-label'), live ? 'Now (live)' : record ? `Position ${record.position} · ${shortTime(record.created_at)} · ${record.type}` : '');
    this.root.querySelector('#asof-live').disabled = live;
  }

  onSlide() {
    const index = Number(this.slider.value);
    const record = this.history[index];
    if (!record) return;
    if (index === this.history.length - 1) { this.goLive(); return; }
    this.asOf = record;
    this.renderSliderLabel();
    this.renderTimeline();
    clearTimeout(this.slide);
    this.slide = setTimeout(() => this.showAsOf(record), 120);
  }

  async showAsOf(record) {
    try {
      const node = await request('GET', `/v1/nodes/${this.uuid}?as_of=${record.position}`);
      if (this.asOf !== record) return;
      this.renderFields(node, record);
      announce(`Showing the node as of position ${record.position}: ${node.provision_state}`);
    } catch (error) {
      replace(this.root.querySelector('#asof-banner'), h('p', { role: 'alert', class: 'error' }, error.message));
    }
  }

  goLive() {
    this.asOf = null;
    this.slider.value = this.slider.max;
    this.renderSliderLabel();
    this.renderTimeline();
    if (this.node) this.renderFields(this.node, null);
  }

  renderTimeline() {
    const byId = new Map(this.history.map((record) => [record.event_id, record]));
    const cut = this.asOf ? this.asOf.position : Infinity;
    const rows = this.history.map((record) => h('tr', {
      id: `ev-${record.event_id}`, class: [record.severity === 'ERROR' ? 'severity-error' : '', record.position > cut ? 'future' : ''].join(' ').trim(),
      'data-type': record.type,
    },
    h('td', {}, String(record.position)),
    h('td', {}, h('time', { datetime: record.created_at }, shortTime(record.created_at))),
    h('th', { scope: 'row' }, record.type, record.event !== record.type ? h('div', { class: 'error-text' }, record.event) : null),
    h('td', {}, record.state ? [record.state, record.target_provision_state ? ` → ${record.target_provision_state}` : ''] : ''),
    h('td', {}, record.user || ''),
    h('td', {}, h('code', {}, record.request_id || '')),
    h('td', {}, record.causation_id
      ? (byId.has(record.causation_id)
        ? h('a', { href: `#ev-${record.causation_id}`, class: 'cause', title: record.causation_id, onclick: (e) => jumpTo(e, record.causation_id) },
          `caused by #${byId.get(record.causation_id).position} ${byId.get(record.causation_id).type}`)
        : h('code', { title: record.causation_id }, shortId(record.causation_id)))
      : '')));
    replace(this.root.querySelector('#node-timeline'), h('caption', {}, `${this.history.length} events, oldest first`),
      h('thead', {}, h('tr', {}, ['Position', 'Recorded', 'Event', 'State after', 'Actor', 'Request id', 'Causation'].map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, rows));
  }
}

function shortId(id) {
  return id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

/** Follows a causation link without changing the page's route, and focuses the cause. */
function jumpTo(event, id) {
  event.preventDefault();
  const row = document.getElementById(`ev-${id}`);
  if (!row) return;
  row.tabIndex = -1;
  row.classList.add('highlight');
  row.scrollIntoView({ block: 'center' });
  row.focus();
  setTimeout(() => row.classList.remove('highlight'), 2500);
}

/** For each of the node's ports, where its switch port is (from every managed switch). */
async function switchBindings(uuid) {
  const bindings = new Map();
  try {
    const { switches } = await request('GET', '/v1/switches');
    for (const managed of switches || []) {
      const { ports } = await request('GET', `/v1/switches/${managed.uuid}/ports`);
      for (const port of ports || []) if (port.node_uuid === uuid) bindings.set(port.port_uuid, { ...port, switch: managed.name });
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  return bindings;
}
