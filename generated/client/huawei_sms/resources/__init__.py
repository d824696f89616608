"""One module per resource (tag) of Huawei Cloud Message & SMS."""
