// Package planner is scaleplan's domain: the plan a person lays out (phases of
// an inference service's roadmap and the assumptions behind them), its
// validation, its file format, and the cost and capacity model that turns a
// plan into a Result.
//
// Everything a user sees — in the window, the terminal or the workbook — is
// read from one Result computed here, so the renderers never do arithmetic of
// their own. Money is decimal from the file to the Result; the model is
// written down with its units in docs/model.md.
//
// The package imports no GUI or spreadsheet code, so it builds and tests
// without cgo.
//
// Rooms of its own (issue #18, under way): planner/queue holds the
// queueing arithmetic — an hour's M/G/c queue, Erlang C, the quantiles of
// wait plus service — with no plan types, used by the latency model here
// and by the simulator's validation.
package planner
