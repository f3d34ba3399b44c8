package planner

// The dates a plan may span: what spreadsheets hold as serial numbers
// (Excel's count is off by one before March 1900).
var (
	FirstDate = NewDate(1900, 3, 1)
	LastDate  = NewDate(9999, 12, 31)
)
