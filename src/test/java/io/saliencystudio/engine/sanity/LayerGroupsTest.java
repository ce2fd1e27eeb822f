package io.saliencystudio.engine.sanity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer groups from parameter names, on the names the default models and torchvision classifiers really have. */
class LayerGroupsTest {

    /** The embedded shapes model, as DJL lists it (one BasicBlock per stage, a downsample in layers 2-4). */
    static final List<String> SHAPES = List.of("net.conv1.weight", "net.bn1.weight", "net.bn1.bias",
            "net.layer1.0.conv1.weight", "net.layer1.0.bn1.weight", "net.layer1.0.bn1.bias",
            "net.layer1.0.conv2.weight", "net.layer2.0.conv1.weight", "net.layer2.0.downsample.0.weight",
            "net.layer2.0.downsample.1.weight", "net.layer3.0.conv1.weight", "net.layer4.0.conv1.weight",
            "net.layer4.0.conv2.weight", "net.layer4.0.downsample.1.bias", "net.fc.weight", "net.fc.bias");

    static final List<String> FASHION = List.of("net.stem.conv.weight", "net.stem.bn.weight", "net.stem.bn.bias",
            "net.layer1.0.conv.weight", "net.layer2.1.conv.weight", "net.layer2.2.bn.bias", "net.layer3.1.conv.weight",
            "net.layer3.2.bn.bias", "net.fc.weight", "net.fc.bias");

    @Test
    void resNetsGroupByTopLevelModuleAndRandomiseFromTheOutput() {
        LayerGroups shapes = LayerGroups.of(SHAPES);
        assertThat(shapes.groups()).containsExactly("conv1", "bn1", "layer1", "layer2", "layer3", "layer4", "fc");
        assertThat(shapes.topDown()).containsExactly("fc", "layer4", "layer3", "layer2", "layer1", "bn1", "conv1");
        assertThat(SHAPES.stream().filter(shapes.member("layer4"))).containsExactly("net.layer4.0.conv1.weight",
                "net.layer4.0.conv2.weight", "net.layer4.0.downsample.1.bias");
        assertThat(SHAPES.stream().filter(shapes.member("layer1"))).hasSize(4).noneMatch(n -> n.contains("layer2"));

        assertThat(LayerGroups.of(resNet50()).topDown())
                .containsExactly("fc", "layer4", "layer3", "layer2", "layer1", "bn1", "conv1");
    }

    @Test
    void fashionMnistHasFiveGroups() {
        assertThat(LayerGroups.of(FASHION).topDown()).containsExactly("fc", "layer3", "layer2", "layer1", "stem");
    }

    @Test
    void aModelWithFewTopLevelModulesIsSplitIntoBlocks() {
        // VGG-like: features.0..features.28 and classifier.0/3/6 under no wrapper
        List<String> vgg = new ArrayList<>();
        for (int i = 0; i <= 28; i += 2) {
            vgg.add("features." + i + ".weight");
        }
        for (int i : new int[] {0, 3, 6}) {
            vgg.add("classifier." + i + ".weight");
        }
        // splitting features (15 convs) would exceed 12 steps; the classifier is split instead
        assertThat(LayerGroups.of(vgg).topDown())
                .containsExactly("classifier.6", "classifier.3", "classifier.0", "features");

        List<String> twoStages = List.of("m.body.stage1.0.w", "m.body.stage1.1.w", "m.body.stage2.0.w",
                "m.body.stage2.1.w", "m.body.stage2.2.w", "m.head.w");
        // body, head -> body.stage1, body.stage2, head -> the larger stage into its blocks: 5, enough
        assertThat(LayerGroups.of(twoStages).groups())
                .containsExactly("body.stage1", "body.stage2.0", "body.stage2.1", "body.stage2.2", "head");
    }

    @Test
    void aParameterOnTheRootModuleIsItsOwnGroupAndNotEverything() {
        List<String> names = List.of("net.cls_token", "net.blocks.0.w", "net.blocks.1.w", "net.head.w");
        LayerGroups groups = LayerGroups.of(names);
        String rootGroup = groups.groups().stream().filter(g -> names.stream().filter(groups.member(g))
                .anyMatch("net.cls_token"::equals)).findFirst().orElseThrow();
        assertThat(names.stream().filter(groups.member(rootGroup))).containsExactly("net.cls_token");
        // every parameter belongs to exactly one group
        for (String n : names) {
            assertThat(groups.groups().stream().filter(g -> groups.member(g).test(n))).hasSize(1);
        }
    }

    @Test
    void aFrozenModuleWithoutParametersCannotBeChecked() {
        assertThatThrownBy(() -> LayerGroups.of(List.of())).hasMessageContaining("export it unfrozen");
    }

    static List<String> resNet50() {
        List<String> names = new ArrayList<>(List.of("net.conv1.weight", "net.bn1.weight", "net.bn1.bias"));
        int[] blocks = {3, 4, 6, 3};
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                for (String p : List.of("conv1.weight", "bn1.weight", "conv2.weight", "conv3.weight", "bn3.bias")) {
                    names.add("net.layer" + (s + 1) + "." + b + "." + p);
                }
            }
        }
        names.add("net.fc.weight");
        names.add("net.fc.bias");
        return names;
    }
}
