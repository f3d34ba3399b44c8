// Package planner is scaleplan's domain: the plan a person lays out (phases
// of an inference service's roadmap and the assumptions behind them), its
// file format, its validation and typed edits, and the cost and capacity
// model that turns a plan into a Result.
//
// A rule about the model — a threshold, a capacity, a pass or a fail —
// lives once, here or in one of its rooms; the faces (cli, ui, export,
// rehearse) read the Result and say it through report. Money is decimal
// from the file to the Result (docs/model.md). The package imports no GUI
// or spreadsheet code, and holds no state that changes after start-up
// (internal/arch checks): price books and caches are values their owners
// pass in (PriceSource, Cache). Its rooms import it or are imported by it,
// never both; docs/architecture.md draws them and says where a new thing goes.
package planner
