graph [
  directed 0
  node [
    id 0
    label "alpha"
    host_bandwidth_down "100 Mbit"
    host_bandwidth_up "100 Mbit"
  ]
  node [
    id 1
    host_bandwidth_down "10 Mbit"
    host_bandwidth_up "5 Mbit"
  ]
  edge [
    source 0
    target 0
    label "path from alpha to itself"
    latency "1 ms"
    jitter "0 ms"
    packet_loss 0.0
  ]
  edge [
    source 0
    target 1
    latency "10 ms"
    jitter "0 ms"
    packet_loss 0.01
  ]
]
