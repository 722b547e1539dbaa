"""Teaching: the lecture's derivation replayed with numbers (``explain``, its text and the
``--file`` loader) and the XOR network of the next lecture trained both ways (``xor``, its
figure). Built on the kernel; the command line that prints them is ``manual_backprop.cli``."""
