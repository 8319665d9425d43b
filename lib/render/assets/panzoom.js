/*
 * Pan and zoom for the call graphs inlined in HTML pages: the wheel zooms
 * around the pointer, dragging pans, the buttons zoom and reset, all by
 * rewriting the <svg> element's viewBox (so text stays sharp). Plain
 * JavaScript, no library; it touches only div.cv-graph elements.
 */
(function () {
	'use strict';
	function setup(box) {
		var svg = box.querySelector('svg');
		if (!svg || !svg.viewBox || !svg.viewBox.baseVal)
			return;
		var vb = svg.viewBox.baseVal;
		var home = [vb.x, vb.y, vb.width, vb.height];
		function show(x, y, w, h) {
			svg.setAttribute('viewBox', [x, y, w, h].map(function (v) {
				return +v.toFixed(3);
			}).join(' '));
		}
		/* A client point in viewBox units, through matrix m (the inverse CTM). */
		function at(m, cx, cy) {
			var pt = svg.createSVGPoint();
			pt.x = cx;
			pt.y = cy;
			return pt.matrixTransform(m);
		}
		function zoom(k, cx, cy) {
			var p = at(svg.getScreenCTM().inverse(), cx, cy);
			show(p.x - (p.x - vb.x) * k, p.y - (p.y - vb.y) * k, vb.width * k, vb.height * k);
		}
		function centre() {
			var r = svg.getBoundingClientRect();
			return [r.left + r.width / 2, r.top + r.height / 2];
		}
		box.addEventListener('wheel', function (e) {
			e.preventDefault();
			zoom(e.deltaY < 0 ? 0.8 : 1.25, e.clientX, e.clientY);
		}, {passive: false});
		var drag = null;
		svg.addEventListener('mousedown', function (e) {
			if (e.button !== 0)
				return;
			var m = svg.getScreenCTM().inverse();
			drag = {m: m, p: at(m, e.clientX, e.clientY), x: vb.x, y: vb.y};
			box.style.cursor = 'grabbing';
			e.preventDefault();
		});
		window.addEventListener('mousemove', function (e) {
			if (!drag)
				return;
			/* Measured with the matrix of the press, as the viewBox moves. */
			var p = at(drag.m, e.clientX, e.clientY);
			show(drag.x - (p.x - drag.p.x), drag.y - (p.y - drag.p.y), vb.width, vb.height);
		});
		window.addEventListener('mouseup', function () {
			drag = null;
			box.style.cursor = '';
		});
		function reset() {
			show(home[0], home[1], home[2], home[3]);
		}
		svg.addEventListener('dblclick', reset);
		var tools = box.querySelector('.cv-tools');
		if (!tools)
			return;
		tools.addEventListener('mousedown', function (e) { e.stopPropagation(); });
		tools.querySelector('.cv-zin').addEventListener('click', function () {
			var c = centre();
			zoom(0.8, c[0], c[1]);
		});
		tools.querySelector('.cv-zout').addEventListener('click', function () {
			var c = centre();
			zoom(1.25, c[0], c[1]);
		});
		tools.querySelector('.cv-reset').addEventListener('click', reset);
	}
	var boxes = document.querySelectorAll('div.cv-graph');
	for (var i = 0; i < boxes.length; i++)
		setup(boxes[i]);
})();
