fn f() {
    let s = "é😀" + ;
}
