package verify

import (
	"math/big"
	"strings"
)

// unit is one entry of the closed unit list: its dimension and its size in
// the dimension's base unit (an exact rational written as "num/den").
type unit struct {
	dim    string
	factor string
}

// units is the closed list of units, currencies and percent. Names are the
// canonical unit names produced by unitAlias.
var units = map[string]unit{
	"mm": {"length", "1/1000"}, "cm": {"length", "1/100"}, "m": {"length", "1"}, "km": {"length", "1000"},
	"in": {"length", "127/5000"}, "ft": {"length", "381/1250"}, "yd": {"length", "1143/1250"},
	"mi": {"length", "201168/125"},
	"mg": {"mass", "1/1000"}, "g": {"mass", "1"}, "kg": {"mass", "1000"}, "t": {"mass", "1000000"},
	"lb": {"mass", "45359237/100000"}, "oz": {"mass", "45359237/1600000"},
	"s": {"time", "1"}, "min": {"time", "60"}, "h": {"time", "3600"}, "day": {"time", "86400"},
	"week": {"time", "604800"}, "year": {"time", "31536000"}, "month": {"time", "2592000"},
	"ms": {"time", "1/1000"},
	"ml": {"volume", "1/1000"}, "l": {"volume", "1"}, "gal": {"volume", "3785411784/1000000000"},
	"$": {"usd", "1"}, "cent": {"usd", "1/100"}, "euro": {"eur", "1"}, "gbp": {"gbp", "1"},
	"yuan": {"cny", "1"}, "yen": {"jpy", "1"}, "rupee": {"inr", "1"},
	"%": {"percent", "1"}, "deg": {"angle", "1"}, "rad": {"radian", "1"},
	"unit": {"count", "1"}, "squnit": {"count2", "1"},
	"mph": {"speed_mph", "1"}, "kmh": {"speed_kmh", "1"}, "mps": {"speed_mps", "1"},
	"km2": {"area", "1000000"}, "m2": {"area", "1"}, "cm2": {"area", "1/10000"}, "mm2": {"area", "1/1000000"},
	"in2": {"area", "16129/25000000"}, "ft2": {"area", "145161/1562500"}, "yd2": {"area", "1306449/1562500"},
	"m3": {"volume", "1000"}, "cm3": {"volume", "1/1000"}, "mm3": {"volume", "1/1000000"},
	"in3": {"volume", "2048383/125000000"}, "ft3": {"volume", "1769833/62500"},
	"N": {"force", "1"}, "J": {"energy", "1"}, "W": {"power", "1"}, "Pa": {"pressure", "1"},
	"K": {"temp_k", "1"}, "C": {"temp_c", "1"}, "F": {"temp_f", "1"}, "Hz": {"freq", "1"}, "V": {"volt", "1"},
}

// unitWords maps written unit names (lower case) to canonical names.
var unitWords = map[string]string{
	"mm": "mm", "millimeter": "mm", "millimeters": "mm", "millimetre": "mm", "millimetres": "mm",
	"cm": "cm", "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
	"m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
	"km": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
	"in": "in", "inch": "in", "inches": "in", "ft": "ft", "foot": "ft", "feet": "ft",
	"yd": "yd", "yard": "yd", "yards": "yd", "mi": "mi", "mile": "mi", "miles": "mi",
	"mg": "mg", "milligram": "mg", "milligrams": "mg", "g": "g", "gm": "g", "gram": "g", "grams": "g",
	"kg": "kg", "kilogram": "kg", "kilograms": "kg", "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t",
	"lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb", "oz": "oz", "ounce": "oz", "ounces": "oz",
	"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
	"min": "min", "mins": "min", "minute": "min", "minutes": "min",
	"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"day": "day", "days": "day", "week": "week", "weeks": "week", "year": "year", "years": "year",
	"month": "month", "months": "month", "ms": "ms",
	"ml": "ml", "milliliter": "ml", "milliliters": "ml", "l": "l", "liter": "l", "liters": "l", "litre": "l", "litres": "l",
	"gallon": "gal", "gallons": "gal",
	"dollar": "$", "dollars": "$", "usd": "$", "$": "$", "cent": "cent", "cents": "cent",
	"euro": "euro", "euros": "euro", "yuan": "yuan", "rmb": "yuan", "yen": "yen", "rupees": "rupee", "rupee": "rupee",
	"%": "%", "percent": "%", "pct": "%", "percentage": "%", "per cent": "%",
	"deg": "deg", "degree": "deg", "degrees": "deg", "rad": "rad", "radian": "rad", "radians": "rad",
	"unit": "unit", "units": "unit", "square units": "squnit", "sq units": "squnit",
	"mph": "mph", "km/h": "kmh", "m/s": "mps",
	"n": "N", "j": "J", "w": "W", "pa": "Pa", "hz": "Hz", "v": "V",
}

// plainUnitWords may follow a number in plain text (outside \text{}). Single
// letters are excluded: a variable is never a unit.
var plainUnitWords = map[string]bool{
	"cm": true, "mm": true, "km": true, "meters": true, "meter": true, "inches": true, "inch": true,
	"feet": true, "foot": true, "miles": true, "mile": true, "kg": true, "grams": true, "mg": true,
	"seconds": true, "minutes": true, "hours": true, "days": true, "weeks": true, "years": true,
	"months": true, "dollars": true, "cents": true, "percent": true, "pct": true, "percentage": true,
	"degrees": true, "yuan": true, "euros": true, "units": true, "liters": true, "pounds": true,
	"ft": true, "yards": true, "mph": true, "hrs": true, "mins": true, "sec": false,
}

// unitAlias maps a written unit to its canonical name.
func unitAlias(w string) (string, bool) {
	w = strings.TrimSpace(w)
	w = strings.TrimSuffix(w, ".")
	if u, ok := unitWords[w]; ok {
		return u, true
	}
	lw := strings.ToLower(w)
	if u, ok := unitWords[lw]; ok && len(lw) > 1 {
		return u, true
	}
	return "", false
}

// unitFactor returns the dimension and factor of a canonical unit name,
// including squared and cubed lengths written as name + "2"/"3".
func unitFactor(name string) (string, *big.Rat, bool) {
	u, ok := units[name]
	if !ok {
		return "", nil, false
	}
	r, ok := new(big.Rat).SetString(u.factor)
	if !ok {
		return "", nil, false
	}
	return u.dim, r, true
}
