package page

import "html/template"

var tmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{{.Title}} — scaleplan</title>
<style>
:root { --bg: #ffffff; --fg: #1d2126; --muted: #555e68; --line: #d5d9de; --head: #eef1f4; --accent: #1f5fbf; --bad: #b3261e; --good: #1e7a3c;
  --cost: #d03b3b; --revenue: #2e8b57; --series: #1f5fbf; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181b; --fg: #e6e8eb; --muted: #aab2bc; --line: #3a3f45; --head: #23272c; --accent: #8ab4f8; --bad: #ff8a80; --good: #7bd88f;
    --cost: #ff7b72; --revenue: #56d364; --series: #8ab4f8; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 6px; }
p.sub { color: var(--muted); margin: 0 0 16px; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
a { color: var(--accent); }
dl.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 0; }
dl.figures div { background: var(--head); border-radius: 6px; padding: 10px 12px; }
dl.figures dt { color: var(--muted); font-size: 13px; }
dl.figures dd { margin: 0; font-size: 18px; font-weight: 600; }
ul.failing li { color: var(--bad); }
p.ok { color: var(--good); }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--head); }
tr.total td { font-weight: 700; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 24px; }
.charts figure { width: 330px; }
figure { margin: 0; }
figcaption { color: var(--muted); font-size: 13px; max-width: 720px; }
svg { max-width: 100%; height: auto; }
svg text { fill: var(--fg); font: 12px system-ui, "DejaVu Sans", sans-serif; }
svg text.axis { fill: var(--muted); font-size: 11px; }
svg line.grid { stroke: var(--line); stroke-width: 1; }
svg line.target { stroke: var(--cost); stroke-width: 1.5; stroke-dasharray: 5 4; }
svg text.target-label { fill: var(--cost); font-size: 11px; }
svg polyline.series { fill: none; stroke: var(--series); stroke-width: 2; }
svg polyline.cost-line { fill: none; stroke: var(--cost); stroke-width: 2; }
svg polyline.revenue-line { fill: none; stroke: var(--revenue); stroke-width: 2; }
svg polygon.cost-band { fill: var(--cost); opacity: 0.22; }
svg polygon.revenue-band { fill: var(--revenue); opacity: 0.22; }
.explain p { max-width: 800px; white-space: pre-line; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  section { break-before: page; }
  section#summary { break-before: auto; }
  h2 { border-top: none; }
  table, figure, tr { break-inside: avoid; }
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="sub">{{.Period}} · money in {{.Currency}} · made by scaleplan from the plan file; every figure is the engine's</p>
<nav aria-label="Sections"><ul>{{range .Sections}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ul></nav>
</header>
<main>
{{range .Sections}}{{if eq .ID "summary"}}
<section id="summary" aria-labelledby="h-summary">
<h2 id="h-summary">{{.Title}}</h2>
<dl class="figures">
<div><dt>Total cost</dt><dd data-figure="total_cost">{{$.Summary.Total}}</dd></div>
<div><dt>Cost per call</dt><dd data-figure="cost_per_call">{{$.Summary.PerCall}}</dd></div>
<div><dt>Revenue</dt><dd data-figure="revenue">{{$.Summary.Revenue}}</dd></div>
<div><dt>Margin</dt><dd data-figure="margin">{{$.Summary.Margin}}</dd></div>
<div><dt>Break-even</dt><dd data-figure="break_even">{{$.Summary.BreakEven}}</dd></div>
<div><dt>Checks</dt><dd data-figure="checks">{{$.Summary.Checks}}</dd></div>
</dl>
{{if $.Summary.Failing}}<h3>Checks that fail</h3><ul class="failing">{{range $.Summary.Failing}}<li>{{.}}</li>{{end}}</ul>{{else}}<p class="ok">Every check passes.</p>{{end}}
</section>
{{else if eq .ID "roadmap"}}
<section id="roadmap" aria-labelledby="h-roadmap">
<h2 id="h-roadmap">{{.Title}}</h2>
{{template "table" $.Roadmap}}
</section>
{{else if eq .ID "costs"}}
<section id="costs" aria-labelledby="h-costs">
<h2 id="h-costs">{{.Title}}</h2>
<figure>{{$.CostChart}}</figure>
{{template "table" $.Costs}}
</section>
{{else if eq .ID "latency"}}
<section id="latency" aria-labelledby="h-latency">
<h2 id="h-latency">{{.Title}}</h2>
<div class="charts">{{range $.Latency}}<figure><h3>{{.Title}}</h3>{{.SVG}}<figcaption>{{.Words}}</figcaption></figure>{{end}}</div>
</section>
{{else if eq .ID "scenarios"}}
<section id="scenarios" aria-labelledby="h-scenarios">
<h2 id="h-scenarios">{{.Title}}</h2>
{{template "table" $.Scenarios}}
</section>
{{else if eq .ID "risk"}}
<section id="risk" aria-labelledby="h-risk">
<h2 id="h-risk">{{.Title}}</h2>
{{with $.Risk}}{{if .Errors}}<p>{{.Errors}}</p>{{else}}<p>{{.Words}}</p>
{{if .Fan}}<figure>{{.Fan}}<figcaption>The fan: cumulative cost and revenue, the band from P10 to P90 of the draws, the line their median.</figcaption></figure>{{end}}
{{template "table" .Table}}
{{if .Odds}}<h3>Odds</h3><ul>{{range .Odds}}<li>{{.}}</li>{{end}}</ul>{{end}}{{end}}{{end}}
</section>
{{else if eq .ID "commitments"}}
<section id="commitments" aria-labelledby="h-commitments">
<h2 id="h-commitments">{{.Title}}</h2>
{{with $.Commit}}{{template "table" .Table}}{{if .Curve}}<figure>{{.Curve}}<figcaption>Load-duration curve of the plan's hourly fleet over a year from its first day: a commitment of k nodes is worth its rate while the share of hours wanting at least k is above the committed rate ÷ the on-demand price.</figcaption></figure>{{end}}{{end}}
</section>
{{else if eq .ID "explain"}}
<section id="explain" aria-labelledby="h-explain" class="explain">
<h2 id="h-explain">{{.Title}}</h2>
{{range $i, $p := $.Explain}}{{if $i}}<h3>{{$p.Head}}</h3>{{end}}<p>{{if not $i}}{{$p.Head}}<br>{{end}}{{$p.Body}}</p>{{end}}
</section>
{{end}}{{end}}
</main>
<footer>scaleplan · this page needs no network and carries no script · print it to PDF from the browser</footer>
</body>
</html>
{{define "table"}}<table>
<caption>{{.Caption}}</caption>
<thead><tr>{{range .Head}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>{{end}}
{{if .Total}}<tr class="total">{{range $i, $c := .Total}}{{if eq $i 0}}<th scope="row">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>{{end}}</tbody>
</table>{{end}}
`))
