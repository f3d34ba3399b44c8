// Package ui is scaleplan's desktop app: a spreadsheet-style grid of the
// model, a roadmap and a costs view, the checks, and the file commands, all
// rendering one planner.Result. The window does no arithmetic of its own:
// edits go through planner, numbers through report and format.
package ui
