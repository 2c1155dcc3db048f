package textnorm

// CNDigit is the value of the Chinese numerals 一 … 九 and 十 (1 to 10), 0
// for any other rune (〇 and 零 included).
func CNDigit(r rune) int {
	switch r {
	case '一':
		return 1
	case '二':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	case '十':
		return 10
	}
	return 0
}

// CNNumber is the value of a Chinese number from 一 to 九十九 as it is
// written (十二 or 一十二, 二十, 三十一), 0 for any other text (一二, 十十,
// 二〇).
func CNNumber(s string) int {
	r := []rune(s)
	unit := func(r rune) int { // 一 … 九
		if d := CNDigit(r); d < 10 {
			return d
		}
		return 0
	}
	switch {
	case len(r) == 1:
		return CNDigit(r[0])
	case len(r) == 2 && r[0] == '十':
		if d := unit(r[1]); d > 0 {
			return 10 + d
		}
	case len(r) == 2 && r[1] == '十':
		if d := unit(r[0]); d > 0 {
			return d * 10
		}
	case len(r) == 3 && r[1] == '十':
		if t, d := unit(r[0]), unit(r[2]); t > 0 && d > 0 {
			return t*10 + d
		}
	}
	return 0
}
