package termsafe_test

import (
	"fmt"

	"github.com/passforge/passforge/internal/termsafe"
)

// A manifest key that would rewrite the terminal line into a forged success shows as text.
func ExampleEscape() {
	key := "icon.png\r\x1b[2Kcoffee.pkpass: OK"
	fmt.Println(termsafe.Escape(key))
	fmt.Println(termsafe.Escape("Café \u202egnp.exe"))
	fmt.Println(termsafe.Quote(`a "quoted" name`))
	// Output:
	// icon.png\r\x1b[2Kcoffee.pkpass: OK
	// Café \u202egnp.exe
	// "a \"quoted\" name"
}
