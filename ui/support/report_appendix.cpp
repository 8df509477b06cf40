#include "report_appendix.h"

#include "report_canvas.h"
#include "report_command.h"

#include "arithmetic/quant_math.h"

#include <QObject>

void formulasAppendix(ReportCanvas& canvas, const bg::QuantSettings& s, bool withComparison, bool withSweep,
                      bool withSensitivity)
{
    // The ranges come from the same functions the analysis calls, so the numbers printed are the
    // ones it used.
    const qint64 qw = bg::weightQmax(s.weightBits);
    const qint64 bmin = bg::signedMin(s.biasBits), bmax = bg::signedMax(s.biasBits);
    const qint64 qa = bg::activationQmax(s.activationBits);
    canvas.heading(QObject::tr("Appendix A: the arithmetic behind every figure"));
    canvas.paragraph(QObject::tr("Per output channel c of a linear layer L (Conv, ConvTranspose, Gemm or MatMul with a "
                                 "constant weight W and bias b, b = 0 when absent) followed by a BatchNormalization N "
                                 "with scale γ, bias β, mean μ, variance v and epsilon ε; L's output has no other "
                                 "consumer. All fold arithmetic is in double precision. round(x) rounds half away "
                                 "from zero; sat_k(x) clamps x to the signed k-bit range."));
    canvas.subheading(QObject::tr("Fold"));
    canvas.code(QStringLiteral("σ_c  = sqrt(v_c + ε)              a_c  = γ_c / σ_c\n"
                               "W'_c = a_c · W_c                   b'_c = a_c · (b_c − μ_c) + β_c"));
    canvas.subheading(QObject::tr("Scales at these settings"));
    canvas.code(QObject::tr("weights (%1-bit, %2):   Q_w = 2^(n_w−1) − 1 = %3\n"
                            "  s_w,c = max_k |W'_c,k| / Q_w   (per tensor: the max over all channels; 1 if that max is 0)\n"
                            "  q_w   = clamp(round(W' / s_w), −Q_w, Q_w)\n"
                            "activations (%4-bit unsigned affine), over the calibrated range [lo, hi] of a tensor:\n"
                            "  lo' = min(lo, 0)   hi' = max(hi, 0)   s = (hi' − lo') / %5   zp = clamp(round(−lo' / s), 0, %5)\n"
                            "  q = clamp(round(x / s) + zp, 0, %5)     (s = 1, zp = 0 when hi' = lo')")
                   .arg(s.weightBits)
                   .arg(QString::fromLatin1(bg::granularityName(s.granularity)))
                   .arg(qw)
                   .arg(s.activationBits)
                   .arg(qa));
    canvas.subheading(QObject::tr("Merged bias and the bits it needs"));
    canvas.code(QObject::tr("B_c   = b'_c / (s_w,c · s_x)         s_x: the scale of L's input\n"
                            "q_b,c = round(B_c)\n"
                            "bits(q) = the smallest k with −2^(k−1) ≤ q ≤ 2^(k−1) − 1\n"
                            "out of range  ⇔  bits(q_b,c) > n_b = %1, i.e. q_b,c outside [%2, %3]\n"
                            "crushed (per tensor)  ⇔  every q_w of channel c is 0 while W_c ≠ 0")
                   .arg(s.biasBits)
                   .arg(bmin)
                   .arg(bmax));
    canvas.paragraph(QObject::tr("With per-channel scales B_c = Q_w (b_c − μ_c + β_c / a_c) / (max|W_c| · s_x): it grows "
                                 "without bound as γ_c → 0, which is why slimmed or pruned channels overflow."));
    canvas.subheading(QObject::tr("Integer layer (the naive fold, \"clamp\")"));
    canvas.code(QObject::tr("acc_c = Σ_k q_w,c,k · (q_x,k − zp_x)          (signed %1-bit accumulator; overflows are counted)\n"
                            "t_c   = acc_c + sat_%2(q_b,c)\n"
                            "y_c   = clamp(zp_y + round(M_c · t_c), 0, %3)     M_c = s_w,c · s_x / s_y")
                   .arg(s.accumulatorBits)
                   .arg(s.biasBits)
                   .arg(qa));
    canvas.subheading(QObject::tr("Fix strategies, per channel"));
    canvas.code(QObject::tr("separate (gamma separation): weights from the unscaled W_c, s_W,c = max|W_c| / Q_w\n"
                            "  y_c = clamp(zp_y + round(M_c · (acc_c + pre_c)) + post_c, 0, %1)    M_c = a_c · s_W,c · s_x / s_y\n"
                            "  pre_c, post_c: two %2-bit registers that together hold T_c = b'_c / s_y:\n"
                            "  |M_c · pre_c + post_c − T_c| ≤ min(|M_c|, 1) / 2, post_c nearest round(β_c / s_y);\n"
                            "  where no pair is that close, s_W,c is widened to the smallest scale at which one is.\n"
                            "  split error = |M_c · pre_c + post_c − T_c| in output steps (≤ 0.5: as exact as an in-range fold)\n"
                            "constant: when |a_c| · max(|lo − b_c|, |hi − b_c|) < s_y / 2 over L's calibrated output [lo, hi]\n"
                            "  q_w = 0 and y_c = clamp(zp_y + round(b'_c / s_y), 0, %1)\n"
                            "widen: s_w,c = max(s_w,c, |b'_c| / (s_x · %3))\n"
                            "auto: the first that fits: in range → fold; constant; separate; still > ½ step off → unfixable")
                   .arg(qa)
                   .arg(s.biasBits)
                   .arg(bmax));
    if (withComparison) {
        canvas.subheading(QObject::tr("Comparison metrics (per output, per fusion-group output)"));
        canvas.code(QObject::tr("ref: the float model's tensor; x: the dequantized integer tensor, (q − zp) · s\n"
                                "SQNR dB = 10 · log10(Σ ref² / Σ (ref − x)²)          (∞ when equal)\n"
                                "cosine  = Σ ref·x / (‖ref‖ · ‖x‖);  max |ref − x|;  MSE = mean (ref − x)²\n"
                                "top-1   = share of samples whose argmax over the last axis agrees (rank-2 outputs)\n"
                                "exact bias: every channel separated over two 32-bit registers (what a bias fix can reach)"));
    }
    if (withSweep) {
        canvas.subheading(QObject::tr("Width sweep and the recommended register"));
        canvas.code(QObject::tr("per weight width n_w and bias width n_b: the analysis and the three runs above, one calibration\n"
                                "within(run, n_b)  ⇔  on every output  SQNR_exact − SQNR_run ≤ 1 dB   (equal, also ∞ = ∞: within)\n"
                                "recommended(run) = the smallest swept n_b with within(run, n) for every swept n ≥ n_b\n"
                                "  without the fix: run = clamp;  with the fix: run = fixed (the plan at that width)"));
    }
    if (withSensitivity) {
        canvas.subheading(QObject::tr("Sensitivity: which layers are worth fixing"));
        canvas.code(QObject::tr("SQNR: of the worst output.  plan_L: the plan on layer L's channels, clamp on every other\n"
                                "gain_L = SQNR(plan_L) − SQNR(clamp)           ranked by decreasing gain (ties: graph order)\n"
                                "share of channel c = its MSE / the sum of the MSEs of the layer's worst channels, in the clamp run\n"
                                "needed: the smallest k with SQNR(plan on the top k layers) − SQNR(clamp)\n"
                                "        ≥ 0.9 · (SQNR(whole plan) − SQNR(clamp)), measured by running that plan"));
    }
}

void reproduceAppendix(ReportCanvas& canvas, const QStringList& command, const QString& planPath)
{
    canvas.heading(QObject::tr("Appendix B: reproducing this report"));
    if (command.isEmpty()) {
        canvas.paragraph(QObject::tr("This report was written without a recorded command."));
        return;
    }
    canvas.paragraph(QObject::tr("Run in a shell where biasguard-cli is installed (the same settings, calibration and "
                                 "plan give the same figures; the date in the header differs):"));
    canvas.code(shellCommandLine(command));
    if (!planPath.isEmpty())
        canvas.paragraph(QObject::tr("It reads the fix plan %1 (the channels set by hand; the GUI saves it beside the report).").arg(planPath));
}
