"""`keras.applications` constructors as opaque models: parameter counts and how each network
shrinks its input, so that `Xception(include_top=False)(Input((250, 250, 3)))` has a shape.

The numbers are Keras 3's (ImageNet architectures with 1,000 classes); the classifier head is
recomputed for other `classes`.  Networks not listed here are opaque models of unknown shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


def _halve_valid(n):
    return None if n is None else n // 2


def _halve_same(n):
    return None if n is None else (n + 1) // 2


def _xception_spatial(n):
    if n is None:
        return None
    n = (n - 3) // 2 + 1  # block1_conv1, 3x3 stride 2, valid
    n -= 2  # block1_conv2, 3x3 valid
    for _ in range(4):  # the four strided 'same' max-pools
        n = _halve_same(n)
    return n


def _vgg_spatial(n):
    for _ in range(5):
        n = _halve_valid(n)
    return n


def _resnet_spatial(n):
    if n is None:
        return None
    n = (n + 6 - 7) // 2 + 1  # zero-pad 3, 7x7 stride 2
    n = (n + 2 - 3) // 2 + 1  # zero-pad 1, 3x3 max-pool stride 2
    for _ in range(3):  # strided 1x1 convolutions of stages 3-5
        n = (n - 1) // 2 + 1
    return n


@dataclass(frozen=True)
class Application:
    name: str
    channels: int  # feature maps of the convolutional base
    base_params: tuple  # (trainable, non_trainable) without the top
    top: Callable  # classes -> trainable parameters of the classifier head
    spatial: Callable


def _dense_head(features):
    return lambda classes: features * classes + classes


def _vgg_head(classes):
    return 25088 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * classes + classes


APPLICATIONS = {
    app.name: app
    for app in (
        Application("Xception", 2048, (20806952, 54528), _dense_head(2048), _xception_spatial),
        Application("VGG16", 512, (14714688, 0), _vgg_head, _vgg_spatial),
        Application("VGG19", 512, (20024384, 0), _vgg_head, _vgg_spatial),
        Application("ResNet50", 2048, (23534592, 53120), _dense_head(2048), _resnet_spatial),
    )
}
