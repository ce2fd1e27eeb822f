package io.saliencystudio.engine.figure;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG at the spec's DPI (pHYs chunk) with provenance as tEXt chunks and the full JSON as an iTXt chunk. */
final class PngFigureWriter {

    private static final String FORMAT = "javax_imageio_png_1.0";

    private PngFigureWriter() {}

    static void write(Figure figure, OutputStream out) throws IOException {
        BufferedImage img = FigureRenderer.raster(figure);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            meta.mergeTree(FORMAT, metadata(figure));
            writer.write(null, new IIOImage(img, null, meta), param);
            ios.flush();
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadataNode metadata(Figure figure) {
        IIOMetadataNode root = new IIOMetadataNode(FORMAT);
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        String perMetre = Long.toString(Math.round(figure.spec().dpi() / 0.0254));
        phys.setAttribute("pixelsPerUnitXAxis", perMetre);
        phys.setAttribute("pixelsPerUnitYAxis", perMetre);
        phys.setAttribute("unitSpecifier", "meter");
        root.appendChild(phys);
        IIOMetadataNode text = new IIOMetadataNode("tEXt");
        IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
        for (Map.Entry<String, String> e : Provenance.flat(figure, "png").entrySet()) {
            boolean latin1 = e.getValue().chars().allMatch(c -> c < 256);
            if (latin1 && !e.getKey().equals(Provenance.KEY)) {
                IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
                entry.setAttribute("keyword", e.getKey());
                entry.setAttribute("value", e.getValue());
                text.appendChild(entry);
            } else {
                IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                entry.setAttribute("keyword", e.getKey());
                entry.setAttribute("compressionFlag", "FALSE");
                entry.setAttribute("compressionMethod", "0");
                entry.setAttribute("languageTag", "");
                entry.setAttribute("translatedKeyword", "");
                entry.setAttribute("text", e.getValue());
                itxt.appendChild(entry);
            }
        }
        root.appendChild(text);
        root.appendChild(itxt);
        return root;
    }
}
