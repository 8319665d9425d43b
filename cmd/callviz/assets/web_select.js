/*
 * The web UI's Graph view: clicking a node toggles its selection; the
 * focus, ignore, hide and show buttons navigate to the same URL with that
 * refinement set to the selected functions as one anchored regex, so the
 * refined view is a plain GET that can be bookmarked. The Peek and Source
 * links of the view switcher follow the selection (sym=), as in pprof.
 */
(function () {
	'use strict';
	var XLINK = 'http://www.w3.org/1999/xlink';
	var sel = {};
	/* graphviz puts pprof's tooltip, "name (value)", on the node's link. */
	function name(g) {
		var a = g.querySelector('a');
		var t = a ? (a.getAttributeNS(XLINK, 'title') || a.getAttribute('xlink:title')) : null;
		if (!t) {
			var title = g.querySelector('title');
			t = title ? title.textContent : '';
		}
		var m = /^([^]*) \([^()]*\)$/.exec(t);
		return m ? m[1] : t;
	}
	function quote(s) {
		return '^' + s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&') + '$';
	}
	function regex() {
		return Object.keys(sel).sort().map(quote).join('|');
	}
	var shown = document.getElementById('wv-selected');
	var views = ['wv-view-peek', 'wv-view-list'].map(function (id) {
		return document.getElementById(id);
	}).filter(function (a) { return a; });
	views.forEach(function (a) { a.setAttribute('data-href', a.getAttribute('href')); });
	function follow() {
		var r = regex();
		views.forEach(function (a) {
			var u = new URL(a.getAttribute('data-href'), location.href);
			if (r)
				u.searchParams.set('sym', r);
			a.setAttribute('href', u.pathname + u.search);
		});
	}
	document.querySelectorAll('#cv-graph g.node').forEach(function (g) {
		g.style.cursor = 'pointer';
		g.addEventListener('click', function (e) {
			e.preventDefault();
			var n = name(g);
			if (sel[n]) {
				delete sel[n];
				g.classList.remove('wv-on');
			} else {
				sel[n] = true;
				g.classList.add('wv-on');
			}
			shown.textContent = Object.keys(sel).sort().join(', ') || 'none';
			follow();
		});
	});
	document.querySelectorAll('button[data-refine]').forEach(function (b) {
		b.addEventListener('click', function () {
			var r = regex();
			if (!r)
				return;
			var u = new URL(location.href);
			u.searchParams.set(b.getAttribute('data-refine'), r);
			location.href = u.pathname + u.search;
		});
	});
})();
