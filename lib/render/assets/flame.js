/*
 * The flame graph's script, embedded at the end of every -flame / -icicle
 * SVG (in a CDATA section) and so of every page that inlines one. It reads
 * each frame's data-x / data-v / data-d (value units) and the <svg>
 * element's data-* scale, and changes nothing outside the document.
 */
(function () {
	'use strict';
	/* The <svg> holding the frames: the document, or one inlined in a page. */
	var layer = document.getElementById('frames'), svg = layer.ownerSVGElement;
	function num(el, name) { return Number(el.getAttribute(name)); }
	var PAD = num(svg, 'data-pad'), W = num(svg, 'data-w'), CW = num(svg, 'data-cw');
	var TOTAL = num(svg, 'data-total'), SCALE = num(svg, 'data-scale');
	var UNIT = svg.getAttribute('data-unit') || '';
	var details = document.getElementById('details');
	var matched = document.getElementById('matched');
	var reset = document.getElementById('reset');
	var input = document.getElementById('search');
	var frames = [], byElement = new Map(), root = null;

	/* Each frame: its place in value units (data-x, data-v, data-d) and
	   its name, the first line of its title. */
	for (var i = 0; i < layer.children.length; i++) {
		var g = layer.children[i];
		var title = g.querySelector('title').textContent, nl = title.indexOf('\n');
		var f = {
			g: g, x: num(g, 'data-x'), v: num(g, 'data-v'), d: num(g, 'data-d'),
			name: title.slice(0, nl), info: title.slice(nl + 1),
			rect: g.querySelector('rect'), text: g.querySelector('text'),
			merged: g.classList.contains('m')
		};
		frames.push(f);
		byElement.set(g, f);
		if (f.d === 0 && !root)
			root = f;
	}

	function percent(v) {
		return TOTAL > 0 ? (100 * v / TOTAL).toFixed(2) + '%' : '-';
	}
	function amount(v) {
		return String(Math.round(v * SCALE * 100) / 100) + UNIT;
	}
	/* The rule the C writer labels frames with (cv_flame_xml_label). */
	function fitLabel(name, w) {
		var fit = Math.floor((w - 6) / CW);
		if (name.length <= fit)
			return name;
		return fit >= 3 ? name.slice(0, fit - 2) + '..' : '';
	}
	function place(f, x, w) {
		f.rect.setAttribute('x', x.toFixed(2));
		f.rect.setAttribute('width', w.toFixed(2));
		f.text.setAttribute('x', (x + 3).toFixed(2));
		f.text.textContent = fitLabel(f.name, w);
	}

	/* Zoom: z and everything above it fill the width, its callers stay
	   as full-width, faded bars, all else is hidden. Children lie within
	   their parent's range and siblings never overlap, so ranges decide. */
	function zoom(z) {
		var k = z.v > 0 ? W / z.v : 0, end = z.x + z.v;
		for (var i = 0; i < frames.length; i++) {
			var f = frames[i], show = true;
			if (f.d >= z.d && f.x >= z.x && f.x + f.v <= end) {
				place(f, PAD + (f.x - z.x) * k, f.v * k);
				f.g.classList.remove('anc');
			} else if (f.d < z.d && f.x <= z.x && f.x + f.v >= end) {
				place(f, PAD, W);
				f.g.classList.add('anc');
			} else {
				show = false;
			}
			f.g.style.display = show ? '' : 'none';
		}
		reset.setAttribute('visibility', z === root ? 'hidden' : 'visible');
	}

	/* Search: highlight frames whose name matches and report the share
	   of the samples under any of them. A match inside another match is
	   the same samples again, so only outermost matches are summed: sorted
	   by position, a frame starting before the end of the last counted
	   one lies within it. */
	function search(pattern) {
		for (var i = 0; i < frames.length; i++)
			frames[i].g.classList.remove('match');
		if (!pattern) {
			matched.textContent = '';
			return;
		}
		var re;
		try {
			re = new RegExp(pattern);
		} catch (e) {
			matched.textContent = 'invalid regex';
			return;
		}
		var hits = [];
		for (var j = 0; j < frames.length; j++) {
			var f = frames[j];
			if (f !== root && !f.merged && re.test(f.name)) {
				f.g.classList.add('match');
				hits.push(f);
			}
		}
		hits.sort(function (a, b) { return a.x - b.x || a.d - b.d; });
		var sum = 0, end = -Infinity;
		for (var k = 0; k < hits.length; k++) {
			if (hits[k].x >= end) {
				sum += hits[k].v;
				end = hits[k].x + hits[k].v;
			}
		}
		matched.textContent = 'Matched: ' + percent(sum) + ' (' + amount(sum) + ')';
	}

	function frameOf(e) {
		var g = e.target.closest ? e.target.closest('g.f') : null;
		return g ? byElement.get(g) : null;
	}
	layer.addEventListener('click', function (e) {
		var f = frameOf(e);
		if (f)
			zoom(f);
	});
	layer.addEventListener('mouseover', function (e) {
		var f = frameOf(e);
		details.textContent = f ? f.name + ' (' + f.info + ')' : ' ';
	});
	layer.addEventListener('mouseout', function () {
		details.textContent = ' ';
	});
	reset.addEventListener('click', function () {
		zoom(root);
	});
	input.addEventListener('input', function () {
		search(input.value);
	});
	document.addEventListener('keydown', function (e) {
		if (e.key === 'Escape') {
			input.value = '';
			search('');
			zoom(root);
		}
	});
})();
