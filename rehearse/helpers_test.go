package rehearse

import "github.com/shopspring/decimal"

func decimalZero() decimal.Decimal { return decimal.Zero }
