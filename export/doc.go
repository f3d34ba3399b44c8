// Package export writes a plan and its computed Result as an Excel workbook
// that stays a live model: every computed cell is a formula over the Inputs
// sheet, and also stores the engine's value, so a viewer that does not
// recalculate still shows the right numbers and one that does arrives at the
// same ones.
//
// Sheets: Summary (headline figures, checks, charts), Roadmap (a Gantt of
// the phases drawn by conditional formatting), Model (the model's lines,
// phases as columns, in report.Lines order), Inputs (every input, plan
// defaults beside per-phase values), Hourly (each phase's typical day) and
// Timeline (one row per day, cumulative cost and revenue, break-even).
//
// Text from a plan is always written as a text cell, never as a formula.
package export
