// The Graceful Worker dashboard: reads api/overview once a second and draws the fleet, the
// queues, truncated drains and dead jobs. Every value is written as text, never as markup.
'use strict';

(function () {
	const REFRESH_MS = 1000;
	const SPARK_POINTS = 60;
	const samples = new Map();
	let token = null;
	let writable = false;

	function el(tag, attributes, ...children) {
		const node = document.createElement(tag);
		for (const [name, value] of Object.entries(attributes || {})) {
			if (value !== null && value !== undefined) {
				node.setAttribute(name, value);
			}
		}
		for (const child of children.flat(Infinity)) {
			if (child !== null && child !== undefined) {
				node.append(child instanceof Node ? child : String(child));
			}
		}
		return node;
	}

	// Durations and instants arrive as ISO-8601 text or as numbers of seconds, depending on the
	// application's JSON settings.
	function seconds(duration) {
		if (duration === null || duration === undefined) {
			return null;
		}
		if (typeof duration === 'number') {
			return duration;
		}
		const match = /^(-)?PT(?:(-?[\d.]+)H)?(?:(-?[\d.]+)M)?(?:(-?[\d.]+)S)?$/.exec(duration);
		if (!match) {
			return null;
		}
		const total = (parseFloat(match[2] || 0) * 3600) + (parseFloat(match[3] || 0) * 60) + parseFloat(match[4] || 0);
		return match[1] ? -total : total;
	}

	function millis(instant) {
		if (instant === null || instant === undefined) {
			return null;
		}
		return (typeof instant === 'number') ? instant * 1000 : Date.parse(instant);
	}

	function age(duration) {
		const value = seconds(duration);
		if (value === null) {
			return '–';
		}
		if (value < 60) {
			return value.toFixed(1) + ' s';
		}
		if (value < 3600) {
			return Math.floor(value / 60) + ' min ' + Math.floor(value % 60) + ' s';
		}
		return (value / 3600).toFixed(1) + ' h';
	}

	function time(instant) {
		const value = millis(instant);
		return (value === null) ? '–' : new Date(value).toLocaleTimeString();
	}

	function replaceRows(table, rows, columns, emptyText) {
		const body = table.tBodies[0];
		body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: columns, class: 'empty' }, emptyText))]));
	}

	// Entries are published at each heartbeat; the serving worker's own running jobs are shown live.
	function withLiveJobs(fleet, self) {
		return fleet.map((worker) => (worker.workerId !== self.workerId) ? worker
			: Object.assign({}, worker, { runningJobs: self.activeJobs.length, jobIds: self.activeJobs.map((job) => job.id) }));
	}

	function drawFleet(fleet) {
		document.getElementById('fleet-count').textContent = '(' + fleet.length + ' live)';
		const cards = fleet.map((worker) => {
			const card = el('div', { class: 'worker ' + worker.state, 'data-testid': 'worker', 'data-worker': worker.workerId,
				'data-state': worker.state },
				el('div', { class: 'title' }, el('span', { class: 'id' }, worker.workerId),
					el('span', { class: 'state ' + worker.state }, worker.state)),
				el('div', { class: 'meta' }, worker.host + (worker.version ? ' · ' + worker.version : '') + ' · '
					+ worker.runningJobs + ' of ' + worker.concurrency + ' running · since ' + time(worker.since)));
			if (worker.state === 'DRAINING' && worker.drainDeadline) {
				const left = seconds(worker.drainRemaining) || 0;
				const window = Math.max(0.001, (millis(worker.drainDeadline) - millis(worker.since)) / 1000);
				const done = Math.min(100, Math.max(0, 100 * (1 - left / window)));
				card.append(el('div', { class: 'drain' },
					el('span', { 'data-testid': 'drain-left', 'data-seconds': left.toFixed(3) }, left.toFixed(1) + ' s left to drain'),
					el('div', { class: 'bar', role: 'progressbar', 'aria-valuenow': done.toFixed(0), 'aria-valuemin': 0,
						'aria-valuemax': 100 }, el('div'))));
				card.querySelector('.bar > div').style.width = done.toFixed(1) + '%';
			}
			if (worker.jobIds.length) {
				card.append(el('div', { class: 'jobs' }, worker.jobIds.map((id) => el('span', { class: 'id' }, id))));
			}
			return card;
		});
		const container = document.getElementById('fleet');
		container.replaceChildren(...(cards.length ? cards : [el('p', { class: 'hint' }, 'No live worker.')]));
	}

	function sparkline(queue, succeeded, now) {
		const points = samples.get(queue) || [];
		points.push({ at: now, succeeded: succeeded });
		while (points.length > SPARK_POINTS + 1) {
			points.shift();
		}
		samples.set(queue, points);
		const rates = [];
		for (let i = 1; i < points.length; i++) {
			const elapsed = (points[i].at - points[i - 1].at) / 1000;
			rates.push(elapsed > 0 ? Math.max(0, points[i].succeeded - points[i - 1].succeeded) / elapsed : 0);
		}
		const width = 120;
		const height = 24;
		const top = Math.max(1, ...rates);
		const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
		svg.setAttribute('class', 'spark');
		svg.setAttribute('width', width);
		svg.setAttribute('height', height);
		const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
		line.setAttribute('points', rates.map((rate, i) =>
			((i * width) / (SPARK_POINTS - 1)).toFixed(1) + ',' + (height - 1 - (rate / top) * (height - 2)).toFixed(1)).join(' '));
		svg.append(line);
		const current = rates.length ? rates[rates.length - 1] : 0;
		return el('span', { 'data-testid': 'throughput', 'data-rate': current.toFixed(1),
			'data-peak': Math.max(0, ...rates).toFixed(1), title: 'jobs succeeded per second, last minute' },
			svg, ' ' + current.toFixed(1) + '/s');
	}

	function drawQueues(queues, error) {
		const now = Date.now();
		const rows = Object.entries(queues).map(([name, queue]) => el('tr', { 'data-queue': name },
			el('td', {}, name),
			el('td', { class: 'number' }, queue.ready),
			el('td', { class: 'number' }, queue.scheduled),
			el('td', { class: 'number' }, queue.leased),
			el('td', { class: 'number' }, queue.dead),
			el('td', { class: 'number' }, age(queue.oldestReadyAge)),
			el('td', { class: 'number' }, queue.consumers),
			el('td', {}, sparkline(name, queue.succeeded, now))));
		replaceRows(document.getElementById('queues'), rows, 8, error || 'No queue.');
	}

	function drawRecurring(schedules) {
		const rows = schedules.map((schedule) => el('tr', { 'data-testid': 'schedule', 'data-job': schedule.job },
			el('td', {}, schedule.job),
			el('td', {}, schedule.queue),
			el('td', {}, el('code', {}, schedule.cron), ' ' + schedule.zone),
			el('td', {}, time(schedule.nextTick)),
			el('td', {}, time(schedule.lastTick)),
			el('td', {}, schedule.lastJobState || '–'),
			el('td', { class: 'number' }, schedule.fires),
			el('td', { class: 'number' }, schedule.missedSkipped + ' · ' + schedule.overlapSkipped)));
		replaceRows(document.getElementById('recurring'), rows, 8, 'No cron schedule.');
	}

	function drawTruncated(truncated) {
		const rows = truncated.map((drain) => el('tr', { 'data-testid': 'truncated-drain' },
			el('td', {}, time(drain.detectedAt)),
			el('td', { class: 'id' }, drain.workerId),
			el('td', {}, drain.host),
			el('td', { class: 'number' }, age(drain.shortfall)),
			el('td', { class: 'id' }, drain.jobIds.join(' ') || '–')));
		replaceRows(document.getElementById('truncated'), rows, 5, 'None: every drain ended before its pod was killed.');
	}

	function drawDead(dead) {
		document.getElementById('dead-access').textContent = writable ? ''
			: 'Read-only: set management.endpoint.jobs.access=unrestricted to retry and delete dead jobs here.';
		if (!dead) {
			replaceRows(document.getElementById('dead'), [], 7, 'The job store did not answer.');
			return;
		}
		document.getElementById('dead-count').textContent = dead.jobs.length
			? '(newest ' + dead.jobs.length + (dead.hasMore ? ', more in /actuator/jobs?state=dead' : '') + ')' : '';
		const rows = dead.jobs.map((job) => {
			const error = job.lastError;
			const actions = el('td', {});
			if (writable) {
				actions.append(el('button', { type: 'button', 'data-action': 'retry', 'data-id': job.id }, 'Retry'), ' ',
					el('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'data-id': job.id }, 'Delete'));
			}
			return el('tr', { 'data-testid': 'dead-job', 'data-id': job.id },
				el('td', { class: 'id' }, job.id),
				el('td', {}, job.name),
				el('td', {}, job.queue),
				el('td', {}, time(job.finishedAt)),
				el('td', { class: 'number' }, job.attempt + ' of ' + job.maxAttempts),
				el('td', {}, error ? (error.reason + (error.type ? ' · ' + error.type : '') + ': ' + error.message) : '–'),
				actions);
		});
		replaceRows(document.getElementById('dead'), rows, 7, 'No dead job.');
	}

	async function act(action, id) {
		const message = document.getElementById('dead-message');
		try {
			const response = await fetch('api/jobs/' + encodeURIComponent(id) + '/' + action, {
				method: 'POST', headers: { 'X-Graceful-Worker-Token': token || '' }, credentials: 'same-origin' });
			const body = await response.json().catch(() => ({}));
			message.textContent = response.ok ? (action === 'retry' ? 'Retried ' : 'Deleted ') + id
				: 'Refused: ' + (body.error || response.status);
		}
		catch (error) {
			message.textContent = 'The application did not answer: ' + error.message;
		}
		refresh();
	}

	document.addEventListener('click', (event) => {
		const button = event.target.closest('button[data-action]');
		if (button) {
			button.disabled = true;
			act(button.dataset.action, button.dataset.id);
		}
	});

	async function lookup(event) {
		event.preventDefault();
		const id = document.getElementById('lookup-id').value.trim();
		const result = document.getElementById('lookup-result');
		if (!id) {
			return;
		}
		try {
			const response = await fetch('api/jobs/' + encodeURIComponent(id), { credentials: 'same-origin' });
			const body = await response.json().catch(() => ({}));
			if (!response.ok) {
				result.replaceChildren(el('p', { class: 'message' }, body.error || ('No answer (' + response.status + ')')));
				return;
			}
			const rows = [['Id', body.id], ['Name', body.name], ['Queue', body.queue], ['State', body.state],
				['Attempt', body.attempt + ' of ' + body.maxAttempts], ['Enqueued', time(body.enqueuedAt)],
				['Due', time(body.dueAt)], ['Started', time(body.startedAt)], ['Finished', time(body.finishedAt)],
				['Worker', body.worker || '–'], ['Requeues', body.requeues + (body.requeueReason ? ' (' + body.requeueReason + ')' : '')],
				['Last error', body.lastError ? body.lastError.reason + ': ' + body.lastError.message : '–']];
			result.replaceChildren(el('dl', { class: 'job', 'data-state': body.state },
				rows.map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])));
		}
		catch (error) {
			result.replaceChildren(el('p', { class: 'message' }, 'The application did not answer: ' + error.message));
		}
	}

	async function refresh() {
		const status = document.getElementById('status');
		try {
			const response = await fetch('api/overview', { credentials: 'same-origin' });
			if (!response.ok) {
				throw new Error('HTTP ' + response.status);
			}
			const overview = await response.json();
			token = overview.token;
			writable = overview.writable;
			const worker = overview.worker;
			drawFleet(withLiveJobs(worker.fleet || [], worker));
			drawQueues(worker.queues || {}, worker.queuesError);
			drawRecurring(overview.recurring || []);
			drawTruncated(worker.truncatedDrains || []);
			drawDead(overview.deadJobs);
			status.className = 'status';
			status.textContent = 'served by ' + worker.workerId + ' (' + worker.state + ') · updated '
				+ new Date().toLocaleTimeString();
		}
		catch (error) {
			status.className = 'status error';
			status.textContent = 'Cannot reach the application (' + error.message + '); retrying';
		}
	}

	async function loop() {
		await refresh();
		setTimeout(loop, REFRESH_MS);
	}

	document.addEventListener('DOMContentLoaded', () => {
		document.getElementById('lookup').addEventListener('submit', lookup);
		loop();
	});
})();
