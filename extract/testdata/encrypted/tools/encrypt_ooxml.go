// encrypt_ooxml writes an Office Open XML package (.docx, .xlsx) encrypted
// under a password (ECMA-376 agile encryption, an OLE2 file holding an
// EncryptedPackage stream), with excelize's Encrypt.
//
// usage: go run ./extract/testdata/encrypted/tools/encrypt_ooxml.go PASSWORD IN OUT
package main

import (
	"log"
	"os"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: encrypt_ooxml PASSWORD IN OUT")
	}
	raw, err := os.ReadFile(os.Args[2])
	if err != nil {
		log.Fatal(err)
	}
	enc, err := excelize.Encrypt(raw, &excelize.Options{Password: os.Args[1]})
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(os.Args[3], enc, 0o644); err != nil {
		log.Fatal(err)
	}
}
