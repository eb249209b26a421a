"""Small helpers at the official client's private path ``anthropic._utils``.

Code written against the official client (instrumentation that checks
``is_given``, test suites that compare signatures or walk types) imports a few
helpers from here.  They are provided with the same names and meaning; the
rest of that module is the official client's internals and is not.  Nothing
in this package imports this module; ``import anthropic`` does not load it.
"""

from ._utils import assert_signatures_in_sync as assert_signatures_in_sync
from ._utils import extract_type_arg as extract_type_arg
from ._utils import is_annotated_type as is_annotated_type
from ._utils import is_dict as is_dict
from ._utils import is_given as is_given
from ._utils import is_list as is_list
from ._utils import is_list_type as is_list_type
from ._utils import is_mapping as is_mapping
from ._utils import is_sequence as is_sequence
from ._utils import is_sequence_type as is_sequence_type
from ._utils import is_type_alias_type as is_type_alias_type
from ._utils import is_union_type as is_union_type

__all__ = [
    "assert_signatures_in_sync",
    "extract_type_arg",
    "is_annotated_type",
    "is_dict",
    "is_given",
    "is_list",
    "is_list_type",
    "is_mapping",
    "is_sequence",
    "is_sequence_type",
    "is_type_alias_type",
    "is_union_type",
]
