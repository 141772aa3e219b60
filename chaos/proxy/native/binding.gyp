{
  "targets": [
    {
      "target_name": "relay",
      "sources": ["relay.cc", "pump.cc"],
      "cflags_cc": ["-O2", "-std=c++17"],
      "conditions": [["OS!='linux'", {"type": "none", "sources": []}]]
    }
  ]
}
