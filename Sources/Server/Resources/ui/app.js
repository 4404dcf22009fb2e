// The page's wiring: log in (when the server asks), load the fleet and the chart, follow the log
// live from the head the server reported, and route between the fleet (`#/`) and a node
// (`#/node/<uuid>`).

import { request, apiBase, setLogin, loggedInUser, ApiError } from './api.js';
import { EventStream } from './stream.js';
import { FleetView } from './fleet.js';
import { NodeView } from './node.js';
import { FleetChart } from './chart.js';
import { wireEnrollForm } from './actions.js';
import { replace, announce } from './dom.js';

const fleet = new FleetView(document.getElementById('fleet'));
const node = new NodeView(document.getElementById('node'));
const chart = new FleetChart(document.getElementById('fleet-chart'));
const login = document.getElementById('login');
const status = document.getElementById('stream-status');
let stream = null;

function setStreamStatus(state) {
  const text = { live: 'Live', reconnecting: 'Reconnecting…', stopped: 'Stopped', unauthorized: 'Not logged in' }[state] || state;
  status.dataset.state = state;
  replace(status, text);
}

function showLogin(message) {
  login.hidden = false;
  document.getElementById('main').hidden = true;
  login.querySelector('#login-server').value = apiBase();
  replace(login.querySelector('#login-error'), message || '');
  login.querySelector(loggedInUser() ? '#login-password' : '#login-user').focus();
}

function route() {
  const hash = location.hash;
  if (hash && !hash.startsWith('#/')) return;
  const match = /^#\/node\/(.+)$/.exec(hash);
  document.getElementById('fleet').hidden = Boolean(match);
  document.getElementById('node').hidden = !match;
  if (match) {
    node.open(decodeURIComponent(match[1]));
  } else {
    node.close();
    document.title = 'Ironlog — fleet';
  }
}

/** Loads everything and follows the log; shows the login form when the server wants credentials. */
async function start() {
  if (stream) stream.stop();
  replace(document.getElementById('user'), loggedInUser() ? `Signed in as ${loggedInUser()}` : '');
  document.getElementById('logout').hidden = !loggedInUser();
  let head;
  try {
    const root = await request('GET', '/');
    head = root.ironlog?.log_head ?? 0;
    replace(document.getElementById('server-name'), `${apiBase()} · Ironlog ${root.ironlog?.version ?? ''}`);
    await fleet.load();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showLogin(loggedInUser() ? error.message : 'This server requires a user name and password.');
    else showLogin(error.message);
    setStreamStatus('unauthorized');
    return;
  }
  login.hidden = true;
  document.getElementById('main').hidden = false;
  chart.load(head).catch((error) => console.error(error));
  stream = new EventStream({
    after: head,
    onEvent: (event) => {
      document.body.dataset.position = String(event.position);
      fleet.onEvent(event);
      node.onEvent(event);
      chart.add(event);
    },
    onStatus: setStreamStatus,
  });
  stream.start();
  route();
  announce('Fleet loaded');
}

login.querySelector('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  setLogin(String(data.get('server') || ''), String(data.get('user') || ''), String(data.get('password') || ''));
  event.target.querySelector('#login-password').value = '';
  start();
});
document.getElementById('logout').addEventListener('click', () => {
  setLogin(null, '', '');
  if (stream) stream.stop();
  showLogin('Signed out.');
});
document.addEventListener('ironlog:unauthorized', () => { if (login.hidden) showLogin('The server refused the stored credentials.'); });
wireEnrollForm(document.getElementById('enroll-form'), (created) => fleet.refresh(created.uuid));
window.addEventListener('hashchange', route);
start();
