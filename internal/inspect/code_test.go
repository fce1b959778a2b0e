package inspect

import "testing"

func TestCode(t *testing.T) {
	cases := []struct {
		js   string
		tier Tier
		want string
	}{
		{"document.title", Read, "reads the page"},
		{"document.querySelector('h1').textContent", Read, ""},
		{"Array.from(document.querySelectorAll('a')).map(a => a.href)", Read, ""},
		{"() => { const rows = [...document.querySelectorAll('tr')]; return rows.length; }", Read, ""},
		{"JSON.stringify(window.performance.timing)", Read, ""},
		{"document.body.innerText.slice(0, 1000)", Read, ""},
		{"x == 1 ? 'a' : 'b'", Read, ""},
		{"fetch('/api/items').then(r => r.json())", Read, "fetch GET"},
		{"localStorage.getItem('token')", Read, ""},
		{"// click() in a comment\ndocument.title", Read, ""},
		{"'element.click()'", Read, ""},
		{"document.querySelector('button').click()", Write, "click()"},
		{"document.forms[0].submit()", Write, "submit()"},
		{"fetch('/api', {method: 'POST', body: '{}'})", Write, "fetch POST"},
		{"fetch('/api', {method: m})", Write, "computed method"},
		{"localStorage.setItem('a', 'b')", Write, "setItem"},
		{"document.cookie = 'a=b'", Write, "document.cookie"},
		{"el.innerHTML = '<img src=x>'", Write, "innerHTML"},
		{"location = 'https://evil'", Write, "navigates"},
		{"window.location.href = 'https://evil'", Write, "navigates"},
		{"location.reload()", Write, "navigates"},
		{"eval(atob('x'))", Write, "eval"},
		{"new Function('return 1')()", Write, "Function"},
		{"input.value = 'x'; input.dispatchEvent(new Event('input'))", Write, ""},
		{"navigator.sendBeacon('/x', data)", Write, "sendBeacon"},
		{"doSomethingUnknown()", Write, "doSomethingUnknown"},
		{"`${document.querySelector('b').click()}`", Write, "click()"},
		{"var x = new XMLHttpRequest(); x.open('PUT', '/a'); x.send()", Write, ""},
		{"fetch('/api/items/1', {method: 'DELETE'})", Destructive, "fetch DELETE"},
		{"x.open('DELETE', '/a')", Destructive, ""},
		{"localStorage.clear()", Destructive, "clears localStorage"},
		{"indexedDB.deleteDatabase('app')", Destructive, ""},
		{"axios.delete('/users/1')", Destructive, ""},
		{"$.ajax({url: '/x', type: 'DELETE'})", Destructive, ""},
	}
	for _, c := range cases {
		check(t, c.js, Code(c.js), c.tier, c.want)
	}
}
