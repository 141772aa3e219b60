{
  "targets": [
    {
      "target_name": "malloc",
      "sources": ["malloc.cc"],
      "cflags_cc": ["-O2", "-std=c++17"],
      "conditions": [["OS!='linux'", {"type": "none", "sources": []}]]
    }
  ]
}
