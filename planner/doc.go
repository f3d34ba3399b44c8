// Package planner is scaleplan's domain: the plan a person lays out (phases
// of an inference service's roadmap and the assumptions behind them), its
// file format, its validation and typed edits, and the cost and capacity
// model that turns a plan into a Result — cost lines, storage, the hourly
// fleet, break-even and build-or-buy, tokens and GPU memory, components,
// variants and scenarios applied.
//
// A rule about the model — a threshold, a capacity, a pass or a fail —
// lives once, here or in one of its rooms; the faces (cli, ui, export,
// rehearse) read the Result and say it through report. Money is decimal
// from the file to the Result; the model is written down with its units in
// docs/model.md. The package imports no GUI or spreadsheet code, so it
// builds and tests without cgo, and it holds no state that changes after
// start-up (internal/arch checks): price books and caches are values their
// owners pass in (PriceSource, Cache).
//
// Its rooms (docs/architecture.md) import it or are imported by it, never
// both. Imported by it, with no plan types: jsonfile (strict JSON files and
// dates), queue (the M/G/c arithmetic of an hour and a day, and the bands
// the simulator measured), commit (the load-duration commitment optimiser),
// storage (data that accrues), gpu (a model's memory on a GPU). Importing
// it: prices (price books, a Catalog as a value), loadtest (load-test files
// and the fit), risk (ranges drawn: the Monte Carlo), compare (diff,
// scenarios and variants side by side, curve and sensitivity).
package planner
