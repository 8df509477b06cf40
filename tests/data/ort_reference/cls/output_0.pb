Bsoftmax_0.tmp_0J°
è>¨ú?