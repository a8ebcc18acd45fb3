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

// currencySigns are the units written before a number.
var currencySigns = map[string]bool{"$": true, "euro": true, "gbp": true, "yen": true}

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

// siBase are the unit symbols that take SI prefixes (case-sensitive), in
// the base units of the table above (volume in litres, mass in grams).
var siBase = map[string]unit{
	"m": {"length", "1"}, "g": {"mass", "1"}, "s": {"time", "1"}, "L": {"volume", "1"}, "l": {"volume", "1"},
	"N": {"force", "1"}, "J": {"energy", "1"}, "W": {"power", "1"}, "Pa": {"pressure", "1"},
	"Hz": {"freq", "1"}, "V": {"volt", "1"}, "A": {"ampere", "1"}, "mol": {"amount", "1"},
	"K": {"temp_k", "1"}, "bit": {"information", "1"}, "B": {"information", "8"},
	"bps": {"bitrate", "1"}, "eV": {"energy", "1602176634/10000000000000000000000000000"},
	"Wh": {"energy", "3600"}, "cal": {"energy", "4184/1000"},
}

// siPrefix are the SI prefixes read before a symbol of siBase. c and d
// only go with metres and litres, h only with pascals.
var siPrefix = map[string]string{
	"k": "1000", "M": "1000000", "G": "1000000000", "T": "1000000000000",
	"m": "1/1000", "u": "1/1000000", "µ": "1/1000000", "μ": "1/1000000", "n": "1/1000000000", "p": "1/1000000000000",
	"c": "1/100", "d": "1/10", "h": "100",
}

// siUnit reads an SI symbol, optionally prefixed: mL, kJ, MHz, Mbps, kPa.
func siUnit(sym string) (unit, bool) {
	if u, ok := siBase[sym]; ok {
		return u, true
	}
	for pre, f := range siPrefix {
		base, ok := strings.CutPrefix(sym, pre)
		if !ok {
			continue
		}
		u, ok := siBase[base]
		if !ok {
			continue
		}
		switch pre {
		case "c", "d":
			if base != "m" && base != "L" && base != "l" {
				continue
			}
		case "h":
			if base != "Pa" {
				continue
			}
		}
		bf, _ := new(big.Rat).SetString(u.factor)
		pf, _ := new(big.Rat).SetString(f)
		return unit{u.dim, bf.Mul(bf, pf).RatString()}, true
	}
	return unit{}, false
}

// moreUnitWords are written names of the SI units and data sizes.
var moreUnitWords = map[string]string{
	"bit": "bit", "bits": "bit", "byte": "B", "bytes": "B", "kilobyte": "kB", "kilobytes": "kB",
	"megabyte": "MB", "megabytes": "MB", "gigabyte": "GB", "gigabytes": "GB", "terabyte": "TB", "terabytes": "TB",
	"kilobit": "kbit", "kilobits": "kbit", "megabit": "Mbit", "megabits": "Mbit",
	"bits per second": "bps", "mole": "mol", "moles": "mol", "mol": "mol", "mmol": "mmol",
	"newton": "N", "newtons": "N", "joule": "J", "joules": "J", "kilojoule": "kJ", "kilojoules": "kJ",
	"watt": "W", "watts": "W", "kilowatt": "kW", "kilowatts": "kW", "kilowatt-hour": "kWh", "kilowatt-hours": "kWh",
	"kwh": "kWh", "pascal": "Pa", "pascals": "Pa", "kilopascal": "kPa", "kilopascals": "kPa",
	"hertz": "Hz", "volt": "V", "volts": "V", "ampere": "A", "amperes": "A", "amp": "A", "amps": "A",
	"kelvin": "K", "kelvins": "K", "calorie": "cal", "calories": "cal", "kcal": "kcal", "kilocalorie": "kcal",
	"kilocalories": "kcal", "liter": "l", "litre": "l", "milliliter": "ml", "millilitre": "ml",
	"celsius": "degC", "degrees celsius": "degC", "degree celsius": "degC", "fahrenheit": "degF",
	"degrees fahrenheit": "degF", "electronvolt": "eV", "electronvolts": "eV",
}

// temperatures are not convertible by a factor; each is its own quantity.
var tempUnits = map[string]unit{"degC": {"temp_c", "1"}, "degF": {"temp_f", "1"}}

// unitAlias maps a written unit to its canonical name: the words and
// symbols of the tables, then an SI symbol with a prefix (case-sensitive:
// mL, Mbps, kPa).
func unitAlias(w string) (string, bool) {
	w = strings.TrimSpace(strings.Trim(w, "~ "))
	w = strings.TrimSuffix(w, ".")
	if u, ok := unitWords[w]; ok {
		return u, true
	}
	// single letters only from the tables: \text{A} to \text{E} are choices
	if _, ok := siUnit(w); ok && len(w) >= 2 {
		return w, true
	}
	lw := strings.ToLower(w)
	if u, ok := unitWords[lw]; ok && len(lw) > 1 {
		return u, true
	}
	if u, ok := moreUnitWords[lw]; ok {
		return u, true
	}
	return "", false
}

// plainUnit reports a unit written in plain text after a number (outside
// \text{}): the multi-letter words of plainUnitWords and of moreUnitWords,
// and SI symbols of at least two letters (mL, kJ, MHz). A single letter is
// always a variable; pm and am are times of day, dB is not a decibyte.
func plainUnit(w string) (string, bool) {
	if len(w) < 2 {
		return "", false
	}
	lw := strings.ToLower(w)
	if plainUnitWords[lw] {
		return unitAlias(lw)
	}
	if u, ok := moreUnitWords[lw]; ok && !strings.Contains(lw, " ") {
		return u, true
	}
	switch w {
	case "pm", "am", "dB", "Pm", "Am":
		return "", false
	}
	if _, ok := siUnit(w); ok {
		return w, true
	}
	return "", false
}

func isPlainUnit(w string) bool { _, ok := plainUnit(w); return ok }

// unitFactor returns the dimension and factor of a canonical unit name,
// including squared and cubed lengths written as name + "2"/"3".
func unitFactor(name string) (string, *big.Rat, bool) {
	u, ok := units[name]
	if !ok {
		u, ok = tempUnits[name]
	}
	if !ok {
		u, ok = siUnit(name)
	}
	if !ok {
		return "", nil, false
	}
	r, ok := new(big.Rat).SetString(u.factor)
	if !ok {
		return "", nil, false
	}
	return u.dim, r, true
}
