// What an operator can do from the page: enroll a node, and move one through its life — manage,
// inspect, provide, deploy, undeploy, power, maintenance. A refused request shows the server's
// own message (Ironic's faultstring), with its request id.

import { request, ApiError } from './api.js';
import { h, replace, announce, keepingFocus } from './dom.js';

/** The node actions: a label, and the request that performs it. */
export const ACTIONS = [
  { id: 'manage', label: 'Manage', run: (uuid) => provision(uuid, 'manage') },
  { id: 'inspect', label: 'Inspect', run: (uuid) => provision(uuid, 'inspect') },
  { id: 'provide', label: 'Provide', run: (uuid) => provision(uuid, 'provide') },
  { id: 'deploy', label: 'Deploy', run: (uuid) => provision(uuid, 'active') },
  { id: 'undeploy', label: 'Undeploy', run: (uuid) => provision(uuid, 'deleted') },
  { id: 'power-on', label: 'Power on', run: (uuid) => power(uuid, 'power on') },
  { id: 'power-off', label: 'Power off', run: (uuid) => power(uuid, 'power off') },
  { id: 'reboot', label: 'Reboot', run: (uuid) => power(uuid, 'rebooting') },
  { id: 'maintenance-on', label: 'Set maintenance', run: (uuid, reason) => request('PUT', `/v1/nodes/${uuid}/maintenance`, reason ? { reason } : {}) },
  { id: 'maintenance-off', label: 'Clear maintenance', run: (uuid) => request('DELETE', `/v1/nodes/${uuid}/maintenance`) },
];

function provision(uuid, target) {
  return request('PUT', `/v1/nodes/${uuid}/states/provision`, { target });
}

function power(uuid, target) {
  return request('PUT', `/v1/nodes/${uuid}/states/power`, { target });
}

/** The message shown for a failed request. */
export function describe(error) {
  if (!(error instanceof ApiError)) return String(error.message || error);
  const id = error.requestId ? ` (request ${error.requestId})` : '';
  return error.status ? `Refused (${error.status}): ${error.message}${id}` : error.message;
}

/** Renders the action buttons for `node` into `container`; `after` runs once one is accepted. */
export function renderActions(container, node, after) {
  const result = h('div', { id: 'action-result', role: 'status', 'aria-live': 'polite' });
  const reason = h('input', { id: 'maintenance-reason', type: 'text', name: 'reason', autocomplete: 'off' });
  const buttons = ACTIONS.map((action) => h('button', {
    type: 'button', 'data-action': action.id,
    onclick: async (event) => {
      // Busy rather than disabled: a disabled button loses keyboard focus.
      const button = event.currentTarget;
      if (button.getAttribute('aria-busy') === 'true') return;
      button.setAttribute('aria-busy', 'true');
      replace(result);
      try {
        await action.run(node.uuid, reason.value.trim());
        replace(result, h('p', { class: 'ok' }, `${action.label}: accepted.`));
        announce(`${action.label} accepted for ${node.name || node.uuid}`);
        after();
      } catch (error) {
        replace(result, h('p', { role: 'alert', class: 'error', id: 'action-error' }, `${action.label}: ${describe(error)}`));
      } finally {
        button.removeAttribute('aria-busy');
      }
    },
  }, action.label));
  const previous = container.querySelector('#maintenance-reason');
  if (previous) reason.value = previous.value;
  const previousResult = container.querySelector('#action-result');
  if (previousResult) result.append(...previousResult.childNodes);
  keepingFocus(container, (e) => (e.dataset.action ? `button[data-action="${e.dataset.action}"]` : e.id ? `#${e.id}` : null), () => replace(container,
    h('div', { class: 'button-row', role: 'group', 'aria-label': 'Node actions' }, buttons),
    h('p', {}, h('label', { for: 'maintenance-reason' }, 'Maintenance reason '), reason),
    result));
}

/** Wires the enroll form: `POST /v1/nodes` with a name and a driver; `after(node)` on success. */
export function wireEnrollForm(form, after) {
  const result = form.querySelector('#enroll-result');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { driver: String(data.get('driver') || '').trim() };
    const name = String(data.get('name') || '').trim();
    if (name) body.name = name;
    replace(result);
    try {
      const node = await request('POST', '/v1/nodes', body);
      replace(result, h('p', { class: 'ok' }, 'Enrolled ', h('a', { href: `#/node/${node.uuid}` }, node.name || node.uuid), '.'));
      announce(`Enrolled ${node.name || node.uuid}`);
      form.reset();
      after(node);
    } catch (error) {
      replace(result, h('p', { role: 'alert', class: 'error', id: 'enroll-error' }, `Enroll: ${describe(error)}`));
    }
  });
}
