package io.saliencystudio.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rows from logits, and the aggregates, against arithmetic written out in the test. */
class AuditTallyTest {

    @Test
    void rowFromLogitsHasSoftmaxMarginLossAndRank() {
        float[] logits = {1f, 3f, 2f, 0f};
        AuditRow r = AuditRow.of("a.png", 2, logits);
        double z = Math.exp(1) + Math.exp(3) + Math.exp(2) + Math.exp(0);
        assertThat(r.predicted()).isEqualTo(1);
        assertThat(r.correct()).isFalse();
        assertThat(r.confidence()).isCloseTo(Math.exp(3) / z, within(1e-12));
        assertThat(r.trueProbability()).isCloseTo(Math.exp(2) / z, within(1e-12));
        assertThat(r.margin()).isCloseTo((Math.exp(3) - Math.exp(2)) / z, within(1e-12));
        assertThat(r.loss()).isCloseTo(-Math.log(Math.exp(2) / z), within(1e-12));
        assertThat(r.trueRank()).isEqualTo(2);
    }

    @Test
    void lossStaysFiniteWhereTheTrueProbabilityUnderflows() {
        AuditRow r = AuditRow.of("a.png", 0, new float[] {-1000f, 1000f});
        assertThat(r.trueProbability()).isZero();
        assertThat(r.loss()).isCloseTo(2000.0, within(1e-9));
        assertThat(r.trueRank()).isEqualTo(2);
    }

    @Test
    void tiesGoToTheLowerIndexForTop1AndRank() {
        AuditRow r = AuditRow.of("a.png", 1, new float[] {2f, 2f, 0f});
        assertThat(r.predicted()).isZero();
        assertThat(r.trueRank()).isEqualTo(2);
        assertThat(r.margin()).isZero();
    }

    @Test
    void binsAreHalfOpenFromBelow() {
        assertThat(AuditTally.bin(0.0)).isZero();
        assertThat(AuditTally.bin(1.0 / 15)).isZero();
        assertThat(AuditTally.bin(Math.nextUp(1.0 / 15))).isEqualTo(1);
        assertThat(AuditTally.bin(1.0)).isEqualTo(14);
        assertThat(AuditTally.bin(0.5)).isEqualTo(7); // 7/15 = 0.467 < 0.5 <= 0.533
    }

    @Test
    void accuracyConfusionPerClassAndEceMatchAHandComputation() {
        Random rnd = new Random(7);
        int k = 4;
        List<AuditRow> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            float[] logits = new float[k];
            for (int j = 0; j < k; j++) {
                logits[j] = (float) (rnd.nextGaussian() * 2);
            }
            rows.add(AuditRow.of("img" + i, rnd.nextInt(k), logits));
        }
        AuditTally tally = new AuditTally(k);
        rows.forEach(tally::add);

        long[][] c = new long[k][k];
        int correct = 0;
        int top5 = 0;
        double[] binConf = new double[15];
        int[] binN = new int[15];
        int[] binOk = new int[15];
        for (AuditRow r : rows) {
            c[r.trueIndex()][r.predicted()]++;
            correct += r.trueIndex() == r.predicted() ? 1 : 0;
            top5 += r.trueRank() <= 5 ? 1 : 0;
            for (int b = 0; b < 15; b++) {
                if (r.confidence() > b / 15.0 && r.confidence() <= (b + 1) / 15.0) {
                    binN[b]++;
                    binConf[b] += r.confidence();
                    binOk[b] += r.correct() ? 1 : 0;
                }
            }
        }
        double ece = 0;
        for (int b = 0; b < 15; b++) {
            if (binN[b] > 0) {
                ece += (double) binN[b] / rows.size() * Math.abs((double) binOk[b] / binN[b] - binConf[b] / binN[b]);
            }
        }
        assertThat(tally.images()).isEqualTo(500);
        assertThat(tally.accuracy()).isEqualTo(correct / 500.0);
        assertThat(tally.top5Accuracy()).isEqualTo(top5 / 500.0).isEqualTo(1.0); // 4 classes: always in the top 5
        assertThat(tally.expectedCalibrationError()).isCloseTo(ece, within(1e-12));
        for (int t = 0; t < k; t++) {
            long support = c[t][0] + c[t][1] + c[t][2] + c[t][3];
            long predicted = c[0][t] + c[1][t] + c[2][t] + c[3][t];
            AuditTally.ClassStats s = tally.classStats(t);
            assertThat(s.support()).isEqualTo(support);
            assertThat(s.precision()).isCloseTo((double) c[t][t] / predicted, within(1e-15));
            assertThat(s.recall()).isCloseTo((double) c[t][t] / support, within(1e-15));
            double p = (double) c[t][t] / predicted;
            double rc = (double) c[t][t] / support;
            assertThat(s.f1()).isCloseTo(2 * p * rc / (p + rc), within(1e-12));
            for (int j = 0; j < k; j++) {
                assertThat(tally.count(t, j)).isEqualTo(c[t][j]);
            }
        }

        // shards add up to the whole
        AuditTally a = new AuditTally(k);
        AuditTally b = new AuditTally(k);
        for (int i = 0; i < rows.size(); i++) {
            (i % 3 == 0 ? a : b).add(rows.get(i));
        }
        a.merge(b);
        assertThat(a.accuracy()).isEqualTo(tally.accuracy());
        assertThat(a.expectedCalibrationError()).isCloseTo(tally.expectedCalibrationError(), within(1e-12));
        assertThat(a.count(1, 2)).isEqualTo(tally.count(1, 2));
    }

    @Test
    void undefinedPrecisionAndRecallAreNull() {
        AuditTally t = new AuditTally(3);
        t.add(AuditRow.of("a", 0, new float[] {5f, 0f, 0f}));
        t.add(AuditRow.of("b", 1, new float[] {5f, 0f, 0f}));
        assertThat(t.classStats(1).precision()).isNull(); // never predicted
        assertThat(t.classStats(1).recall()).isZero();
        assertThat(t.classStats(2).recall()).isNull(); // no images
        assertThat(t.classStats(0).precision()).isEqualTo(0.5);
    }

    @Test
    void extremesKeepTheMostConfidentMistakesAndLeastConfidentCorrect() {
        AuditExtremes e = new AuditExtremes(2);
        e.add(AuditRow.of("w1", 0, new float[] {0f, 1f}));
        e.add(AuditRow.of("w2", 0, new float[] {0f, 5f}));
        e.add(AuditRow.of("w3", 0, new float[] {0f, 3f}));
        e.add(AuditRow.of("c1", 0, new float[] {0.1f, 0f}));
        e.add(AuditRow.of("c2", 0, new float[] {9f, 0f}));
        e.add(AuditRow.of("c3", 0, new float[] {1f, 0f}));
        assertThat(e.mostConfidentMistakes()).extracting(AuditRow::image).containsExactly("w2", "w3");
        assertThat(e.leastConfidentCorrect()).extracting(AuditRow::image).containsExactly("c1", "c3");
    }
}
