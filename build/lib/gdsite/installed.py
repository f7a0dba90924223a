"""Which installed distribution provides each top-level module, and its version (kernel side).

Looking this up scans every installed package, about half a second. Kernels
forked from the zygote inherit the answer, worked out there once.
"""

from importlib import metadata

OWNERS = metadata.packages_distributions()  # top-level module name -> [distribution names]
VERSIONS = {dist.metadata["Name"]: dist.version for dist in metadata.distributions()}


def version(dist):
    return VERSIONS.get(dist) or metadata.version(dist)
